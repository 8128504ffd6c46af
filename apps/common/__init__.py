"""Plain helpers shared by every app (no models, no Django app): the bottom layer."""
