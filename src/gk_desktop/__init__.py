"""gk-desktop: offline case-work client with an encrypted local vault."""

__version__ = "0.1.0"
APP_NAME = "gk-desktop"
