"""modeldir: a static site generator for a directory of LLM API offerings."""

__version__ = "0.1.0"
