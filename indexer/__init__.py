"""Loading plan documents, the SQL ledger and the Chroma index."""
