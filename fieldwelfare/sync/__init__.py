"""Sync: signed, encrypted bundles between devices and the consortium hub."""
