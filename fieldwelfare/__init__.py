"""fieldwelfare: local-first community welfare, headless core."""

__version__ = "0.1.0"

__all__ = ["__version__"]
