"""The statistics office's administrative units, before and from the reform of 1 July 2025.

``registry`` holds both maps, built from a pinned release of ``vietnamadminunits``
by ``scripts/build_units.py``; ``describe`` says what the ``units`` command shows;
``territory`` a unit's land on both maps (what lies in it, wholly or in part, and
where a unit's figures add up across the reform); ``resolve`` which unit a row's
name or code means in its year.
"""
