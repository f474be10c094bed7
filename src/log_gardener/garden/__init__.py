"""garden stage."""
