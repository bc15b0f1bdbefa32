"""Hand-written articles for the red-team of copy and story decisions (invented events, no real data).

Each base article is written the way wire copy looks (curly quotes, dashes, names, figures), so
the variants made from it in `test_redteam_scan.py` are the transformations real syndication
applies and the corpus generator does not.
"""

from __future__ import annotations

PORT = """Dock workers walk out at Marrowby port as pay talks collapse

MARROWBY, March 3 — More than 1,400 dock workers at the port of Marrowby walked off the job on Tuesday after talks between their union and the harbour authority broke down over a proposed three-year pay deal, halting container traffic at the country’s second-busiest terminal.

The Coastal Transport Union said its members had rejected an offer of a 4.5% rise spread over three years, which it called “an insult to people who kept the cranes moving through two winters of storms.” The union had asked for 7% a year.

“We did not want this strike, but the authority left us no choice,” said Delia Farrant, the union’s regional secretary, speaking outside the main gate. “Every ship that waits in the bay is a reminder of what our work is worth.”

The Marrowby Harbour Authority said the offer was “fair and affordable” and warned that a long stoppage would push shipping lines towards rival ports. Its chief executive, Oskar Pellinen, said the authority remained ready to return to talks “at any hour.”

By Tuesday evening 23 vessels were anchored offshore waiting for berths, according to port tracking data, and freight forwarders said perishable cargo such as fruit and cut flowers was being diverted to Fenhaven, 140 km along the coast.

Business groups urged both sides to accept mediation. The regional chamber of commerce estimated that each day of the stoppage costs local exporters about 18 million euros in delayed shipments.

The strike is set to last 72 hours. The union said further walkouts would follow in April if no new offer is made.
"""

MUSEUM = """Two paintings stolen from Castelbrun museum in night-time raid

CASTELBRUN — Thieves broke into the Castelbrun Museum of Fine Arts in the early hours of Sunday and escaped with two small oil paintings by the 17th-century landscape painter Jorien Vasshaug, police said, in what the museum’s director called “a precise and carefully planned theft.”

The intruders cut through a skylight above the museum’s east gallery shortly after 3 a.m., lowered themselves on ropes and removed the paintings from their frames, investigators said. The alarm sounded, but the thieves had left by the time guards reached the room — about four minutes later.

The stolen works, “Morning over the Lysfjord” and “Mill at Dunraven,” are each smaller than a sheet of paper. Together they were insured for 6.2 million euros, the museum said.

“These are not paintings you can sell on the open market,” said Inspector Maud Keveney, who is leading the investigation. “Anyone offered them should contact us immediately.”

Police have sealed off the museum, which will stay closed until Wednesday, and are reviewing footage from 31 cameras in the surrounding streets. A white van seen leaving the area at speed is being traced.

The museum’s director, Hallvard Oyen, said the theft was “a wound to the whole town,” and thanked staff who had worked through the night with forensic teams. The paintings were donated in 1958 by the family of a local shipowner.

It is the second theft from a museum in the province in three years; a silver chalice taken from the Brenmark diocesan collection in 2023 has never been found.
"""

RAIL = """Freight train derails near Oxley Cross, closing main line for days

OXLEY CROSS — A freight train carrying timber and fertiliser derailed near the village of Oxley Cross on Thursday morning, blocking the main line between Hartwell and Penbury and forcing the cancellation of dozens of passenger services.

Nineteen of the train’s 34 wagons left the tracks at about 6:40 a.m. on a curve north of the village, the national rail operator said. No one was hurt; the driver and a second crew member were checked by paramedics at the scene and released.

Residents of about 60 homes were asked to keep windows closed as a precaution after two wagons of ammonium nitrate fertiliser overturned, although the fire service said none of the containers had been breached.

“We heard a noise like thunder that went on and on,” said Bernadette Quayle, who lives 200 metres from the line. “When I looked out there were wagons lying on their sides in the field.”

The Rail Accident Investigation Branch has sent inspectors. Its deputy chief, Tomasz Wielgus, said it was “too early to say” whether the track, the wagons or the speed of the train was to blame.

The operator said the line would stay closed until at least Monday while cranes lift the wagons and engineers rebuild some 300 metres of damaged track. Replacement buses will run between Hartwell and Penbury every 20 minutes.

Freight customers were told to expect delays of up to a week.
"""

HOSPITAL = """Northfield hospital to close maternity unit overnight as staff shortage bites

NORTHFIELD — The maternity unit at Northfield General Hospital will stop admitting women overnight from next month because it no longer has enough midwives to staff night shifts safely, the hospital trust said on Wednesday.

From May 1, women in labour between 8 p.m. and 8 a.m. will be directed to St Aldric’s Hospital in Camberley, a drive of about 35 minutes. Daytime care, antenatal clinics and the unit’s home-birth service will continue.

The trust said 14 of the unit’s 52 midwife posts were vacant and that agency staff could no longer fill the gaps. “Closing at night is the last thing we wanted to do,” said its chief nurse, Priya Lindgren. “But we will not run a service we cannot make safe.”

Local councillors reacted angrily. “This is a downgrade by the back door,” said Councillor Ewan Holt, who chairs the county’s health scrutiny committee. “Families in the north of the county will be an hour from the nearest labour ward.”

About 2,300 babies were born at Northfield last year, roughly a third of them at night. The trust said it expected the overnight closure to last “at least six months” while it recruits, and that it had offered retention payments of 3,000 pounds to current staff.

A campaign group, Keep Northfield Births, said it would hold a public meeting on Saturday and was considering a legal challenge.
"""

WATER = """Cannock Vale reservoir falls to record low as hosepipe ban looms

CANNOCK VALE — The Cannock Vale reservoir, which supplies drinking water to about 400,000 people, has fallen to 31% of capacity, the lowest level since records began in 1976, its operator said on Monday.

Westmere Water said it would impose a hosepipe ban across the region from June 10 unless heavy rain falls in the next fortnight, and urged households to cut their use by a fifth. Rainfall in the catchment has been 46% below average since January.

“We are asking everyone to play their part — shorter showers, full loads in the washing machine, no sprinklers,” said Gareth Penhallow, the company’s director of water resources. “Every litre saved now is a litre we have in August.”

Farmers in the valley said they were already rationing irrigation. “The barley is suffering and we haven’t even reached the hot weeks,” said Ruth Aldous, who grows cereals on 300 hectares near Brindle.

Environmental groups blamed leaks. Westmere loses about 22% of the water it treats through its pipes, according to the regulator’s latest figures, one of the worst rates in the country. The company said it had repaired 1,900 leaks this year.

The regulator said it would review the company’s drought plan next week.
"""

# Two outlets, one event, own words (story pairs; not copies).
PORT_OTHER = """Strike shuts Marrowby container terminal

Marrowby’s container terminal ground to a halt on Tuesday as dockers began a three-day strike, leaving more than twenty ships queuing in the bay and exporters scrambling to reroute cargo.

The walkout by members of the Coastal Transport Union follows the failure of weeks of negotiations with the harbour authority. Union officials want annual raises of 7 percent; the authority has put 4.5 percent over three years on the table.

Delia Farrant, who leads the union in the region, told reporters the stoppage was a last resort. Oskar Pellinen, head of the harbour authority, said his door remained open and described the pay offer as fair.

Exporters of fresh produce were among the first hit. Several forwarders said they had diverted refrigerated containers to Fenhaven. The local chamber of commerce put the cost to businesses at roughly 18 million euros per day.

Further action is planned for April.
"""

MUSEUM_OTHER = """Vasshaug landscapes taken in Castelbrun skylight break-in

Police in Castelbrun are hunting a gang who abseiled into the town’s fine arts museum through a roof skylight overnight into Sunday and took two landscapes by Jorien Vasshaug.

The pair of small canvases — “Morning over the Lysfjord” and “Mill at Dunraven” — were cut from their frames within minutes. Guards responding to the alarm found the east gallery empty.

Inspector Maud Keveney said the works, insured together for more than six million euros, would be almost impossible to sell and appealed to collectors and dealers to report any approach. Detectives are studying street camera recordings and searching for a white van.

Director Hallvard Oyen called the raid a blow to the community. The museum will reopen midweek. The Vasshaug paintings came to the museum as a gift from a shipping family in 1958.
"""

# Same topic, different event.
QUAKE_A = """Magnitude 6.1 earthquake strikes off Keldara coast

A magnitude 6.1 earthquake struck off the coast of Keldara province early on Friday, shaking buildings in the port city of Annsby and sending residents into the streets, the national seismology centre said.

The quake hit at 4:12 a.m. at a depth of 18 km, about 40 km south-west of Annsby. Several older houses in the harbour district lost roofs and chimneys, and a landslide blocked the coastal road to Vennick. Two people were treated in hospital for minor injuries.

“It went on for almost half a minute, the longest I have ever felt,” said Annsby fisherman Colm Drury. Ferries to the outer islands were suspended while harbour walls were inspected.

The seismology centre recorded more than 40 aftershocks, the strongest of magnitude 4.8, and said no tsunami was expected.
"""

QUAKE_B = """Strong quake rattles Tervola highlands, damaging mountain villages

An earthquake of magnitude 5.7 shook the Tervola highlands on Monday afternoon, damaging dozens of homes in mountain villages and cutting power to about 12,000 households, officials said.

The tremor struck at 2:35 p.m. at a shallow depth of 9 km near the village of Ostrava Gorge, according to the national seismology centre. A church tower in Halden partly collapsed and rockfalls closed two passes. Four people were injured, one seriously.

Mountain rescue teams were searching outlying farms on Monday night. “The ground rolled like the sea,” said Ingrid Tallis, a teacher in Halden whose school was evacuated.

The regional governor declared a state of emergency and opened sports halls as shelters for families whose homes were unsafe.
"""

COURT_A = """Property developer Lucan Ferrier cleared of bribery charges

Property developer Lucan Ferrier was acquitted on Thursday of bribing two planning officials in Dunmore, ending a six-week trial at the regional criminal court.

Prosecutors had alleged that Ferrier paid the officials 85,000 euros through a consultancy to win approval for a 200-flat scheme on the former gasworks site. The jury took nine hours to reach its verdict.

“I have always said I did nothing wrong,” Ferrier told reporters on the court steps. His lawyer, Simone Achterberg, said the case “should never have been brought.” The two former officials, tried alongside him, were also cleared.

The prosecution service said it would study the judgment before deciding whether to appeal.
"""

COURT_B = """Lucan Ferrier fined over unsafe scaffolding at Harbour Row site

Lucan Ferrier’s building company was fined 240,000 euros on Tuesday after a labourer fell from badly secured scaffolding at its Harbour Row apartment site in Kilbarry, a district court ruled.

The worker, 29, broke both legs and his pelvis in the fall in September 2024. Health and safety inspectors found that guard rails had been removed on three levels and that no one had checked the scaffold for a month.

Judge Ailbhe Corrigan said the company had put “speed before safety.” Ferrier, who attended the hearing, did not comment. The company pleaded guilty and has paid the injured man’s medical costs.

The firm was also ordered to pay 35,000 euros towards the inspectorate’s legal costs.
"""

FOLLOWUP_PORT = """Marrowby dockers return to work, talks to resume next week

MARROWBY, March 6 — Dock workers at Marrowby returned to work on Friday at the end of a 72-hour strike, and the harbour authority and the Coastal Transport Union agreed to resume pay talks under an independent mediator next Tuesday.

Cranes were moving again by 7 a.m., and the port said the backlog of ships waiting in the bay, which peaked at 31 vessels on Thursday, should be cleared by Sunday.

Delia Farrant of the union said members would “give talks one more chance” but that walkouts planned for April remained on the table. Oskar Pellinen, the authority’s chief executive, welcomed the decision and said a revised offer would be tabled.

Exporters said the stoppage had cost them dearly. The regional chamber of commerce said its estimate of 18 million euros a day in delayed shipments had proved conservative.
"""

# Shared boilerplate and shared quotation material.
DISCLAIMER = """This article is provided for general information only and does not constitute legal, financial, tax or investment advice. Readers should seek independent professional advice before acting on any information contained in it. Neither the publisher nor the author accepts any liability for any loss or damage arising from reliance on this article, whether in contract, tort, negligence or otherwise, to the fullest extent permitted by law. Views expressed by contributors are their own and do not necessarily reflect those of the publisher, its editors or its advertisers. Figures quoted were believed to be accurate at the time of publication but may have changed since; past performance is not a reliable guide to future returns and the value of investments can fall as well as rise."""

BIO = """Marguerite Olansky is the senior markets correspondent of the Harbour Ledger. Before joining the paper in 2015 she reported on commodities and shipping for eleven years in Rotterdam, Singapore and Lagos, and she is the author of two books on the grain trade, "Bread and Ballast" and "The Long Voyage of Wheat." She studied economics at the University of Tessaly and was a visiting fellow at the Institute for Maritime Economics. She writes a weekly column on freight markets and appears regularly on regional radio. Her reporting on port automation won the National Business Journalism Award in 2021."""

STATEMENT = """“Today the board has concluded, after a thorough and independent review, that the company’s reporting of revenue from long-term maintenance contracts between 2021 and 2024 did not meet the standards our shareholders are entitled to expect. Revenue was recognised too early on a number of contracts, and the effect was to overstate operating profit in each of those years. We have informed the regulator, we are restating our accounts, and the chief financial officer has stepped down with immediate effect. The board apologises without reservation to our investors, our employees and our customers. We are appointing an independent accounting firm to examine every contract signed in that period, and we will publish its findings in full. Nothing matters more to this board than restoring the trust that has been lost.”"""
