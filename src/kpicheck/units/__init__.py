"""The statistics office's administrative units, before and from the reform of 1 July 2025.

``registry`` holds both maps, built from a pinned release of ``vietnamadminunits``
by ``scripts/build_units.py``; ``describe`` says what the ``units`` command shows.
"""
