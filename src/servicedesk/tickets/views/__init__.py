"""The agents' workspace in the browser: queues, the ticket page and its actions, the call card."""
