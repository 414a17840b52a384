"""Personal-data rules without Django: masking, scrubbing free text, retention dates."""
