"""Kindred: guided compassion meditations for people in intimate relationships."""

__version__ = "0.1.0"
