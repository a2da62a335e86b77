"""Measured quality: labelled evaluation sets and the runners that score them."""
