"""Hand-written news article pairs with gold links (not from any data set, not from the seeds).

Each pair is a machine-translated-style report (literal phrasing, its own order) and an
independent English report of the same made-up story by another outlet: facts in another order,
sentences with no counterpart on either side (background, quotes only one outlet has), one
sentence covering two, headlines and datelines, lists of names, numbers written differently and,
in some pairs, a figure one outlet got wrong (still a link: `check` must compare those two).
`gold` lists the links a careful reader would draw, as (MT indices, reference indices).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NewsPair:
    name: str
    mt: list[str]
    ref: list[str]
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]]

    def gold_pairs(self) -> set[tuple[int, int]]:
        return {(i, j) for a, b in self.gold for i in a for j in b}


PAIRS = [
    NewsPair(
        "flood",
        mt=[
            "Floods in Valmont: 2 thousand inhabitants evacuated",  # 0 headline
            "VALMONT, 14 March.",  # 1 dateline
            "Because of the strong rains of the last three days the river Orla came out of its bed on "
            "Wednesday night and flooded the lower quarters of the city.",  # 2
            "According to the prefecture, about 2,000 persons were evacuated to the sports hall and two "
            "schools.",  # 3
            "One man of 67 years was found dead in his car on the road to Berhaut.",  # 4
            "The mayor Claire Dufresne declared that the city has not seen such waters since 1987.",  # 5
            "The water level reached 4.8 metres at the Saint-Roch bridge, the highest level in 37 years.",  # 6
            "The meteorological service keeps the red alert until Friday.",  # 7
        ],
        ref=[
            "A 67-year-old man died after his car was swept off the Berhaut road, officials said on "
            "Thursday.",  # 0
            "Some two thousand residents of Valmont have been moved to a sports hall and two schools "
            "after the Orla river burst its banks overnight on Wednesday.",  # 1
            "The river peaked at 4.8m at the Saint-Roch bridge.",  # 2
            "Valmont, a town of 30,000 known for its cutlery workshops, was last hit by a major flood "
            "in 1987.",  # 3
            '"We have lost everything on the ground floor," said Marc Lenoir, a baker on the quay.',  # 4
            "Forecasters said the red weather warning would stay in place until Friday.",  # 5
        ],
        gold=[((4,), (0,)), ((2, 3), (1,)), ((6,), (2,)), ((7,), (5,)), ((5,), (3,))],
    ),
    NewsPair(
        "election",
        mt=[
            "The Liberal Union won the municipal elections in Korsby with 41 percent of votes.",  # 0
            "The participation was of 58 percent, lower by 6 points than in 2019.",  # 1
            "In the new council enter Anna Lind, Per Holm, Erik Sund and Maja Berg.",  # 2
            "The Green Party obtained 17 percent, its best result in history.",  # 3
            "The leader of the Liberals, Anna Lind, thanked the voters and promised new bicycle lanes.",  # 4
        ],
        ref=[
            "KORSBY (Reuters) - The Liberal Union took 41% of the vote in Sunday's municipal election "
            "in Korsby, official results showed.",  # 0
            "Liberal leader Anna Lind, who is expected to become mayor, thanked voters and pledged "
            "more cycle lanes.",  # 1
            "Turnout was 58%, down six points from 2019.",  # 2
            "The Greens had their best result ever at 17%.",  # 3
            "The Liberals' Anna Lind, Per Holm, Erik Sund and Maja Berg were among those elected to "
            "the council.",  # 4
            "Korsby, a port city of 90,000, has been governed by the Social Democrats since 2011.",  # 5
        ],
        gold=[((0,), (0,)), ((1,), (2,)), ((2,), (4,)), ((3,), (3,)), ((4,), (1,))],
    ),
    NewsPair(
        "earnings",
        mt=[
            "The company Nordtek announced on Thursday a net profit of 312 million euros for the year "
            "2025.",  # 0
            "This represents a growth of 18 percent in comparison with the previous year.",  # 1
            "The turnover rose to 2.9 billion euros, thanks to the sales in Asia.",  # 2
            "The general director Jonas Weber said that the company will hire 500 engineers.",  # 3
            "The shares of Nordtek rose by 4 percent at the stock exchange of Frankfurt.",  # 4
        ],
        ref=[
            "Nordtek shares jumped 4% in Frankfurt trading on Thursday.",  # 0
            "The German maker of industrial sensors reported net income of EUR 321 million for 2025, "
            "up 18% on the year.",  # 1 (swapped figure: 321 vs 312)
            "Revenue climbed to EUR 2.9bn, driven by sales in Asia.",  # 2
            "Analysts had expected a profit of about EUR 290 million.",  # 3
            "Chief executive Jonas Weber said the group planned to hire 500 engineers.",  # 4
        ],
        gold=[((0, 1), (1,)), ((2,), (2,)), ((3,), (4,)), ((4,), (0,))],
    ),
    NewsPair(
        "earthquake",
        mt=[
            "An earthquake of magnitude 6.1 struck on Monday morning the south of the province Marda.",  # 0
            "The epicentre was at 12 kilometres from the town Tessin, at a depth of 10 kilometres.",  # 1
            "At least 9 persons lost their lives and 140 were wounded, communicated the civil protection.",  # 2
            "Dozens of old houses collapsed in the historical centre of Tessin.",  # 3
            "The government sent 300 rescuers and three helicopters.",  # 4
            "The schools will stay closed until the end of the week.",  # 5
        ],
        ref=[
            "Nine people were killed and 140 injured when a magnitude 6.1 earthquake hit southern Marda "
            "on Monday, civil protection officials said.",  # 0
            "The quake struck 12km from Tessin at a shallow depth of 10km.",  # 1
            "Scores of old buildings in Tessin's historic centre were reduced to rubble.",  # 2
            "The region sits on one of the most active fault lines in the country.",  # 3
            "A 5.8 quake in 1994 killed 40 people there.",  # 4
            "Three helicopters and 300 rescue workers have been deployed.",  # 5
        ],
        gold=[((0, 2), (0,)), ((1,), (1,)), ((3,), (2,)), ((4,), (5,))],
    ),
    NewsPair(
        "transfer",
        mt=[
            "The football club Real Castilla confirmed the transfer of the striker Luca Moretti.",  # 0
            "The Italian player, 24 years old, signed a contract until 2030.",  # 1
            "The sum of the transfer is 65 million euros, plus bonuses of 10 million.",  # 2
            "Moretti marked 27 goals in the last season for Torino.",  # 3
            "He will be presented to the supporters on Saturday at the stadium.",  # 4
        ],
        ref=[
            "Real Castilla have signed Italy striker Luca Moretti from Torino for an initial 65 million "
            "euros, with up to 10 million more in add-ons.",  # 0
            "The 24-year-old, who scored 27 goals last season, has agreed a deal running to 2030.",  # 1
            "Castilla have been looking for a centre forward since their captain retired in May.",  # 2
            "Fans will get their first look at him at the stadium on Saturday.",  # 3
        ],
        gold=[((0, 2), (0,)), ((1, 3), (1,)), ((4,), (3,))],
    ),
    NewsPair(
        "verdict",
        mt=[
            "The tribunal of Arnhold condemned on Friday the former minister Pavel Ostrov to 6 years of "
            "prison for corruption.",  # 0
            "The judges found that Ostrov received bribes of 1.2 million dollars from a construction "
            "firm.",  # 1
            "The lawyers of the former minister announced that they will make appeal.",  # 2
            "Ostrov was minister of transport between 2016 and 2020.",  # 3
            "Two other accused were acquitted.",  # 4
        ],
        ref=[
            "Former transport minister Pavel Ostrov was sentenced to six years in prison on Friday for "
            "taking bribes.",  # 0
            "A court in Arnhold found he had accepted $1.2 million from a building company in exchange "
            "for road contracts.",  # 1
            "Ostrov, who denied the charges, sat impassively as the verdict was read.",  # 2
            "His defence team said it would appeal.",  # 3
            "Transparency campaigners welcomed the ruling as a rare conviction of a senior politician.",  # 4
        ],
        gold=[((0,), (0,)), ((1,), (1,)), ((2,), (3,))],
    ),
    NewsPair(
        "strike",
        mt=[
            "Strike at the railways: 70 percent of the trains cancelled on Tuesday.",  # 0
            "The syndicates of the railway workers demand a raise of salaries by 8 percent.",  # 1
            "The national company RFN offered only 3 percent.",  # 2
            "In the capital the commuters waited hours in the stations.",  # 3
            "The strike will continue on Wednesday and Thursday, announced the syndicate leader Ivo "
            "Kral.",  # 4
        ],
        ref=[
            "Rail unions are demanding an 8% pay rise, while state operator RFN has offered 3%.",  # 0
            "Around seven in ten trains were cancelled on Tuesday as the walkout began.",  # 1
            "Union leader Ivo Kral said the strike would go on on Wednesday and Thursday.",  # 2
            "The transport ministry urged both sides to return to talks.",  # 3
        ],
        gold=[((1, 2), (0,)), ((0,), (1,)), ((4,), (2,))],
    ),
    NewsPair(
        "launch",
        mt=[
            "The space agency ESA launched on Sunday the satellite Helios-3 from the base of Kourou.",  # 0
            "The satellite of 2.4 tonnes will observe the activity of the Sun during seven years.",  # 1
            "The launch was delayed two times because of the bad weather.",  # 2
            "The mission costs 480 million euros.",  # 3
        ],
        ref=[
            "Helios-3, a 2,400kg observatory, will study solar activity for seven years.",  # 0
            "It lifted off from Kourou in French Guiana on Sunday after two weather delays.",  # 1
            "The European Space Agency said the signal from the spacecraft was received 40 minutes "
            "after launch.",  # 2
            "Scientists hope it will improve forecasts of solar storms that can knock out power grids.",  # 3
            "The mission has a budget of 840 million euros.",  # 4 (swapped digits: 840 vs 480)
        ],
        gold=[((1,), (0,)), ((0, 2), (1,)), ((3,), (4,))],
    ),
    NewsPair(
        "wildfire",
        mt=[
            "Fire of forest near Kalos: 1,500 hectares burned.",  # 0
            "The fire started on Saturday afternoon and was pushed by winds of 70 km per hour.",  # 1
            "The authorities evacuated four villages: Agia Eleni, Pyrgos, Loutra and Vrisi.",  # 2
            "More than 200 firemen and 8 aircraft fight the flames.",  # 3
            "A fireman was lightly injured.",  # 4
            "The police arrested a man of 45 years suspected of arson.",  # 5
        ],
        ref=[
            "Police have detained a 45-year-old man on suspicion of starting the fire deliberately.",  # 0
            "Residents of Agia Eleni, Pyrgos, Loutra and Vrisi were ordered to leave on Saturday night.",  # 1
            "The blaze, fanned by 70km/h gusts, has burned some 1,500 hectares of pine forest near "
            "Kalos since it broke out on Saturday afternoon.",  # 2
            "Eight water-bombing planes and over 200 firefighters were tackling it on Sunday.",  # 3
            "Greece has had its driest spring in four decades.",  # 4
        ],
        gold=[((5,), (0,)), ((2,), (1,)), ((0, 1), (2,)), ((3,), (3,))],
    ),
    NewsPair(
        "rates",
        mt=[
            "The National Bank of Dalmar raised the interest rate by 0.5 points, to 6.25 percent.",  # 0
            "It is the third raise this year.",  # 1
            "The inflation reached in October 9.1 percent, the highest level since 2008.",  # 2
            "The governor Elena Varga said that the bank is ready to act again if necessary.",  # 3
            "The national currency strengthened by 1 percent against the euro.",  # 4
        ],
        ref=[
            "Dalmar's currency gained 1% against the euro after the announcement.",  # 0
            "The central bank lifted its key rate by half a percentage point to 6.25%, its third "
            "increase of the year.",  # 1
            "Economists polled by the Dalmar Herald had expected a quarter-point move.",  # 2
            "Inflation hit 9.1% in October, its highest since 2008.",  # 3
            "Governor Elena Varga said policymakers stood ready to tighten further.",  # 4
        ],
        gold=[((0, 1), (1,)), ((2,), (3,)), ((3,), (4,)), ((4,), (0,))],
    ),
    NewsPair(
        "museum",
        mt=[
            "Thieves stole during the night of Thursday three paintings from the City Museum of Lorsk.",  # 0
            "Among the stolen works is a portrait by Hendrik Vos of 1654.",  # 1
            "The value of the paintings is estimated at 12 million euros.",  # 2
            "The alarm system did not function because of a power cut.",  # 3
            "The museum will remain closed until further notice.",  # 4
        ],
        ref=[
            "LORSK - Three paintings, including a 1654 portrait by Dutch master Hendrik Vos, were stolen "
            "from the Lorsk City Museum overnight on Thursday.",  # 0
            "Police said a power cut had disabled the alarms.",  # 1
            'The museum\'s director, Ilse Brandt, called the theft "a wound for the whole city".',  # 2
            "It is the second theft at the museum since 2015, when a silver chalice disappeared.",  # 3
        ],
        gold=[((0, 1), (0,)), ((3,), (1,))],
    ),
    NewsPair(
        "factory_fire",
        mt=[
            "A fire broke out on Monday in a textile factory in the industrial zone of Bressa.",  # 0
            "Four workers were transported to the hospital with burns.",  # 1
            "The firemen needed six hours to extinguish the fire.",  # 2
            "The cause of the fire is not yet known.",  # 3
            "The factory employs 350 persons and produces uniforms for the army.",  # 4
        ],
        ref=[
            "Four workers were taken to hospital with burns after fire tore through a textile plant in "
            "Bressa's industrial zone on Monday.",  # 0
            "It took firefighters six hours to bring the blaze under control.",  # 1
            "The plant, which employs 350 people, makes army uniforms.",  # 2
            "Investigators have not yet established what caused the fire.",  # 3
            "Last year a blaze at a nearby chemical depot forced the evacuation of 2,000 residents.",  # 4
        ],
        gold=[((0, 1), (0,)), ((2,), (1,)), ((4,), (2,)), ((3,), (3,))],
    ),
]

# Longer pairs told mostly in the same order (the aligner may detect the order and fill between
# anchors), each outlet with background paragraphs the other lacks.
PAIRS += [
    NewsPair(
        "summit",
        mt=[
            "Summit in Varna: the leaders of the Black Sea countries signed an agreement on fishing.",  # 0
            "VARNA, 3 June.",  # 1
            "The heads of state of six countries met on Tuesday in the resort Varna.",  # 2
            "The agreement foresees a reduction of the quotas for anchovy by 15 percent for three years.",  # 3
            "The president of the host country, Dimitar Petrov, named the agreement historical.",  # 4
            "The negotiations lasted more than two years.",  # 5
            "The fishermen organisations protested in front of the hotel where the summit took place.",  # 6
            "They say that the quotas will destroy thousands of work places.",  # 7
            "The police estimated the protesters at around 800.",  # 8
            "The next summit will take place in 2027 in Batumi.",  # 9
            "In the evening the leaders attended a concert of the national orchestra.",  # 10
        ],
        ref=[
            "Leaders of six Black Sea nations signed a deal in Varna on Tuesday to cut anchovy catches "
            "by 15% over three years.",  # 0
            "Stocks of the small fish have fallen by almost half since 2010, according to the UN's "
            "Food and Agriculture Organization.",  # 1
            "Bulgarian President Dimitar Petrov hailed the accord as historic.",  # 2
            "Talks on the pact had dragged on for over two years.",  # 3
            "Environmental groups said the cuts did not go far enough.",  # 4
            '"This is a first step, not a solution," said Ana Ionescu of the Black Sea Fund.',  # 5
            "Outside the seafront hotel hosting the talks, about 800 fishermen rallied against the deal, "
            "police said.",  # 6
            "They say the quotas will cost thousands of jobs.",  # 7
            "Georgia will host the next summit, in Batumi in 2027.",  # 8
        ],
        gold=[
            ((0, 2, 3), (0,)),  # the headline states the lead
            ((4,), (2,)),
            ((5,), (3,)),
            ((6, 8), (6,)),
            ((7,), (7,)),
            ((9,), (8,)),
        ],
    ),
    NewsPair(
        "hospital",
        mt=[
            "Scandal at the hospital of Ravel: 14 patients infected with a resistant bacterium.",  # 0
            "The Ministry of Health opened an investigation on Wednesday.",  # 1
            "The infections were discovered in the department of intensive therapy in September.",  # 2
            "Three of the patients died, but the doctors say that the deaths are not necessarily "
            "connected with the bacterium.",  # 3
            "The director of the hospital, Tomas Halek, presented his resignation.",  # 4
            "The department was closed for disinfection for two weeks.",  # 5
            "The hospital of Ravel is the biggest in the region, with 1,100 beds.",  # 6
            "It was renovated in 2019 with European funds of 40 million euros.",  # 7
            "The minister Lucie Novak promised that the results of the investigation will be public.",  # 8
            "The patients' association asked for compensation for the families.",  # 9
        ],
        ref=[
            "Health officials have launched an inquiry after 14 patients at Ravel General Hospital "
            "caught a drug-resistant infection.",  # 0
            "The cases were found in the intensive care unit in September, the ministry said on "
            "Wednesday.",  # 1
            "Three of the patients have died, though doctors said it was unclear whether the bacteria "
            "caused their deaths.",  # 2
            "Antibiotic-resistant infections kill an estimated 35,000 people a year in the European "
            "Union, according to the ECDC.",  # 3
            "Hospital director Tomas Halek has resigned.",  # 4
            "Nurses at the unit had complained about staff shortages for months, a union "
            "representative told the Ravel Courier.",  # 5
            "Health minister Lucie Novak pledged to publish the findings of the inquiry.",  # 6
            "The intensive care unit will stay shut for two weeks while it is disinfected.",  # 7
        ],
        gold=[
            ((0, 1), (0,)),
            ((2,), (1,)),
            ((3,), (2,)),
            ((4,), (4,)),
            ((5,), (7,)),
            ((8,), (6,)),
        ],
    ),
    NewsPair(
        "budget",
        mt=[
            "The government of Serrano approved the budget for 2027.",  # 0
            "The expenses will grow by 4.5 percent, to 182 billion pesos.",  # 1
            "The deficit is planned at 2.8 percent of the gross domestic product.",  # 2
            "For education are foreseen 21 billion, with 3 billion more than this year.",  # 3
            "The spending for defence will rise by 12 percent.",  # 4
            "The minister of finances Rosa Aguilar said that the budget is realistic.",  # 5
            "The opposition criticised the cuts in the health system.",  # 6
            "The parliament must vote the budget until 15 December.",  # 7
            "Last year the budget was adopted with a delay of two months.",  # 8
        ],
        ref=[
            "Serrano's cabinet on Monday approved a 2027 budget that raises spending 4.5% to 182 billion "
            "pesos.",  # 0
            "Finance Minister Rosa Aguilar called the plan realistic and said the deficit would be held "
            "to 2.8% of GDP.",  # 1
            "Defence spending rises 21%, while education gets an extra 3 billion pesos.",  # 2 (12 -> 21)
            "The peso was little changed after the announcement.",  # 3
            "Opposition parties attacked cuts to health care.",  # 4
            "Lawmakers have until Dec. 15 to pass the budget.",  # 5
            "Serrano's economy grew 1.9% last year, below the government's forecast of 2.5%.",  # 6
        ],
        gold=[
            ((0, 1), (0,)),
            ((2, 5), (1,)),
            ((3, 4), (2,)),
            ((6,), (4,)),
            ((7,), (5,)),
        ],
    ),
]


def report(params: object = None) -> str:
    """Link precision/recall over all pairs and one line per wrong or missed link (markdown rows).

    Run by hand: `.venv/bin/python -m tests.align.news_pairs`.
    """
    from dedup.align import align_texts

    tp = fp = fn = 0
    rows = []
    for pr in PAIRS:
        links = [(lk.mt, lk.ref, lk.score) for lk in align_texts(pr.mt, pr.ref, params).links]  # type: ignore[arg-type]
        gold = pr.gold_pairs()
        got = {(i, j) for a, b, _ in links for i in a for j in b}
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
        gold_mt = {i for i, _ in gold}
        for a, b, s in links:
            bad = {(i, j) for i in a for j in b} - gold
            if bad:
                kind = "wrong partner" if any(i in gold_mt for i, _ in bad) else "MT has no counterpart"
                if not any((i, j) in gold for i in a for j in b):
                    kind += " (unrelated)"
                rows.append(f"| {pr.name} | wrong | mt {list(a)} -> ref {list(b)} ({s:.3f}) | {kind} |")
        for a, b in pr.gold:
            miss = sorted({(i, j) for i in a for j in b} - got)
            if miss:
                have = [(list(x), list(y)) for x, y, _ in links if set(x) & set(a)]
                rows.append(
                    f"| {pr.name} | missed | gold mt {list(a)} -> ref {list(b)}, missing {miss} | {have} |"
                )
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    head = f"{len(PAIRS)} pairs: {tp} right, {fp} wrong, {fn} missed sentence pairs; P {p:.3f} R {r:.3f}"
    return "\n".join([head, *rows])


if __name__ == "__main__":
    print(report())
