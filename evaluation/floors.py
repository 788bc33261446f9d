"""The floors the evaluation's figures must stay at or above, all in one place.

``tests/test_floors.py`` runs the evaluation and fails when a figure falls below
its floor, or when a figure has no floor (a new class of difficulty needs one).
Each floor is the figure measured when it was set, rounded down to two decimals:
when the linker or the suggester gets better, raise the floors to the new figures
(``make eval-linking`` prints them) so the gain is kept.
"""

FLOORS: dict[str, float] = {
    # Overall (the targets: precision 1.00, recall 0.97; suggestions 0.95 and 0.95).
    "linking.precision": 1.00,
    "linking.recall": 1.00,
    "suggestions.precision": 0.98,
    "suggestions.recall": 0.98,
    # Recall per class of difficulty.
    "linking.recall.abbreviation": 1.00,
    "linking.recall.bare_model": 1.00,
    "linking.recall.brand_in_model": 1.00,
    "linking.recall.cyrillic_brand_model": 1.00,
    "linking.recall.cyrillic_model": 1.00,
    "linking.recall.hyphen": 1.00,
    "linking.recall.initial": 1.00,
    "linking.recall.line_break": 1.00,
    "linking.recall.line_end_hyphen": 1.00,
    "linking.recall.nbsp": 1.00,
    "linking.recall.partial_name": 1.00,
    "linking.recall.plain": 1.00,
    "linking.recall.position_title": 1.00,
    "linking.recall.shared_brand": 1.00,
    "linking.recall.surname": 1.00,
    "linking.recall.yo": 1.00,
    # Hard negatives left unlinked, per class.
    "linking.negatives_kept.adjective": 1.00,
    "linking.negatives_kept.common_word": 1.00,
    "linking.negatives_kept.name_in_name": 1.00,
    "linking.negatives_kept.namesake": 1.00,
    "linking.negatives_kept.partial_name": 1.00,
    # Per position in the article.
    "linking.headline.recall": 1.00,
    "linking.headline.precision": 1.00,
    "linking.lead.recall": 1.00,
    "linking.lead.precision": 1.00,
    "linking.body.recall": 1.00,
    "linking.body.precision": 1.00,
}
