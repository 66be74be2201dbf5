"""The numbers a ranked list shows: counting up or down, with ties sharing a number."""

ASCENDING, DESCENDING, UNRANKED = "ascending", "descending", "unranked"
NUMBERING_CHOICES = [
    (ASCENDING, "Numbered from 1 at the top (“1. the best”)"),
    (DESCENDING, "Counting down to 1 at the bottom (“10 … 1”)"),
    (UNRANKED, "Not numbered (an unranked selection)"),
]


def ranks(tied, numbering):
    """The rank of each entry, top to bottom, given which are tied with the entry above.

    Ties share the number of their group, and the next group skips the places
    they took (1, 2, 2, 4), as standings do. Counting down, the groups are
    numbered from the bottom (4, 2, 2, 1). Unranked lists have no numbers.
    """
    if numbering == UNRANKED:
        return [None] * len(tied)
    groups = []
    for index, with_above in enumerate(tied):
        if with_above and groups:
            groups[-1].append(index)
        else:
            groups.append([index])
    if numbering == DESCENDING:
        groups.reverse()
    numbers, place = [None] * len(tied), 1
    for group in groups:
        for index in group:
            numbers[index] = place
        place += len(group)
    return numbers
