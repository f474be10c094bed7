"""log-gardener: keep an issue tracker in step with what a service's logs say."""

__version__ = "0.1.0"
