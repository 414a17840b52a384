"""Pure rules of the knowledge base: Russian search terms, highlighting, reply placeholders."""
