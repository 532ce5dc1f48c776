"""A sample desktop app: what the example workflows build and release."""
