"""Readers follow companies, models, officials, countries and tags by email."""
