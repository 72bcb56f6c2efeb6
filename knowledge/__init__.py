"""The plan model, the document parser and the grounded question answering (pure core)."""
