"""Security rules without Django: rate arithmetic, upload classification."""
