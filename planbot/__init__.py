"""planbot: a chat assistant for a city's annual air-quality action plan."""

__version__ = "0.1.0"
