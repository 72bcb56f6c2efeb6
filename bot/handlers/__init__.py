"""Handler modules; each exposes `register(application)`."""
