"""How divisions are named to people, as opposed to how the statistics list them."""

# Committee suffix of an NBS village name → the kind of place it implies.
_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("居民委员会", "社区"),
    ("村委会", "村"),
    ("居委会", "社区"),
)


def short_village_name(name: str) -> str:
    """'多福巷社区居委会' → '多福巷社区'; '飞羊村村委会' → '飞羊村' (the name people use)."""
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(("村", "社区", "居")) else stem + kind
    return name
