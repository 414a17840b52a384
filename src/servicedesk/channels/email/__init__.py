"""The e-mail channel: incoming mail becomes tickets and comments, replies thread back.

Pure modules (no Django, safe to import anywhere):

* `parse` - raw bytes to `ParsedMessage`, never raising;
* `headers`, `body`, `charsets` - header decoding, MIME walk, charset guessing;
* `quotes` - split what the sender wrote from the history it quotes;
* `loops` - auto-replies, bulk mail and bounces;
* `thread_keys` - Message-IDs and ``[SD-000123]`` subject tags;
* `compose` - our own Message-IDs for outgoing notifications.
"""
