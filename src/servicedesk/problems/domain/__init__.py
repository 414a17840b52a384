"""Problem rules without Django: statuses, mass-incident links, ticket similarity."""
