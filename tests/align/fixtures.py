"""Small hand-written article pairs (not from any data set) for the aligner's tests."""

from __future__ import annotations

# A machine-translated report: sentence order differs from the reference below.
MT_SENTENCES = [
    "The city council of Riverton voted on Tuesday to close the old Harbor Street bridge for repairs.",
    "Another official said the mayor was looking forward to meeting the engineers next week.",
    "The repairs will cost about 4.2 million dollars and last eight months.",
    "Local bakers complained that flour prices doubled this winter.",
]

# The English reference: a paraphrase of MT 0-2 in another order, MT 2 split in two sentences,
# and one sentence about something else.
REF_SENTENCES = [
    "A second senior city official mentioned that the mayor eagerly anticipates meeting the engineers next week.",
    "The work is expected to cost roughly $4.2 million.",
    "It should take about eight months.",
    "Snow is forecast for the weekend across the northern valleys of the province.",
    "Riverton's city council decided on Tuesday to shut the ageing Harbor Street bridge so it can be repaired.",
]

UNRELATED = [
    "The orchestra premiered a new symphony by a young composer from Lisbon.",
    "Tickets for the football final sold out within minutes on Friday morning.",
]
