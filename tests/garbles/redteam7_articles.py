"""Seventh-session red-team material: article pairs written for the tests (no seed, no evaluation text).

Styles the earlier red-team (`redteam_pairs.py`) did not cover: result lists with scores, a court
report thick with names (particles, initials, titles, possessives, apostrophes, hyphens), a results
statement with figures in words and digits, nested quotations, a live blog with timestamps, brands,
Korean/Japanese/Chinese/Russian/Arabic leftovers, HTML and Markdown remnants, names that lost their
separators, doubled words across a line break, agencies credited differently, weekdays and dates swapped,
figures in another locale's separators, a wrong score, a figure in the wrong currency.

Same conventions as `redteam_pairs.Pair`: `hits` are (family, text): a flag of that family must cover
the text (its span inside the text's occurrence or equal to it); `lookalikes` are right and must not
be touched by any flag. Every needle occurs exactly once in its MT.
"""

from __future__ import annotations

from tests.garbles.redteam_pairs import Pair

VOLLEY_IT = Pair(
    "volley_it",
    "sport results, from Italian",
    mt="""Serie A: Inter beat Napoli, Juventus held in Turin

Milan, 3 February (ANSA) - Inter won 2-0 against Napoli at San Siro on Sunday evening with goals from Lautaro Martinez and Marcus Thuram.
In Turin, Juventus and Torino drew 1-1: Dusan Vlahovic scored for Juventus in the 34th minute, and Duvan Zapata equalised in the 71st.
Milan won 3-1 at Lecce. The scorers were Olivier Giroud, Rafael Leao and Christian Pulisic, while Nikola Krstovic replied for Lecce.
Roma beat Cagliari 4-1, with two goals from Romelu Lukaku and one each from Paulo Dybala and Lorenzo Pellegrini.
Coach Simone Inzaghi said: "The team is is in good shape, but the season is long."
Inter now lead the table with 60 points, seven more than Juventus (53). Milan are third with 49 points.
In the Lecce-Milan match, Giroud Leao and Pulisic all scored in the second half.
""",
    ref="""Inter go seven points clear as Juventus drop points in derby

Inter Milan beat Napoli 2-0 at San Siro on Sunday, with Lautaro Martinez and Marcus Thuram on target.
Juventus were held 1-1 by Torino: Dusan Vlahovic put Juve ahead after 34 minutes before Duvan Zapata levelled on 71.
AC Milan won 3-1 at Lecce through Olivier Giroud, Rafael Leao and Christian Pulisic; Nikola Krstovic scored for Lecce.
Roma thrashed Cagliari 4-0. Romelu Lukaku scored twice, and Paulo Dybala and Lorenzo Pellegrini added one each.
"The team is in good shape, but the season is long," Inter coach Simone Inzaghi said.
Inter top Serie A with 60 points, seven clear of Juventus on 53, with Milan third on 49.
""",
    hits=(
        ("repeated_words", "is is"),
        ("merged_tokens", "Giroud Leao"),
        ("number_mismatch", "4-1"),
    ),
    lookalikes=(
        "2-0",
        "1-1",
        "34th minute",
        "71st",
        "(53)",
        "Lautaro Martinez and Marcus Thuram",
        "Dusan Vlahovic",
        "Lecce-Milan",
        "Paulo Dybala and Lorenzo Pellegrini",
        "60 points",
    ),
)

COURT_NL = Pair(
    "court_nl",
    "courts, from Dutch",
    mt="""Court in The Hague convicts two men of fraud

The Hague, 12 October (ANP) - The district court in The Hague on Thursday sentenced businessman Pieter van der Berg to four years in prison for large-scale subsidy fraud.
His co-defendant, the Irish accountant Sean O'Neill, received two years. Mr O'Neill's lawyer said he had had no knowledge of the scheme.
The case was led by prosecutor Dr. Anna M. de Vries, who said Van der Berg's companies had received 14 million euros.
Judge Jean-Luc Lambert said the court had taken into account Mr van der Berg's age.
A witness, the Syrian businessman Omar al-Hassan, testified that he had paid bribes to officials in Damascus under Bashar al-Assad.
Prosecutor de Vries said the money was never recovered. Judge Lambert ordered the confiscation of two properties.
Dr de Vries told reporters: "This was a deliberate, years-long deception."
Omar al-Hasan's testimony was key to the conviction, the court said.
""",
    ref="""Dutch businessman jailed for four years over subsidy fraud

A court in The Hague on Thursday jailed businessman Pieter van der Berg for four years for a large subsidy fraud.
His co-defendant, Irish accountant Sean O'Neill, was given a two-year sentence. O'Neill's lawyer said his client had had no knowledge of the scheme.
Prosecutor Anna de Vries said companies controlled by van der Berg had received 14 million euros.
Presiding judge Jean-Luc Lambert said the court took van der Berg's age into account.
Syrian businessman Omar al-Hassan told the court he had paid bribes to officials in Damascus under Bashar al-Assad.
Lambert ordered the confiscation of two properties.
"This was a deliberate, years-long deception," de Vries told reporters.
""",
    hits=(("name_variants", "al-Hasan"),),
    lookalikes=(
        "Pieter van der Berg",
        "Sean O'Neill",
        "Mr O'Neill's",
        "had had",
        "Dr. Anna M. de Vries",
        "Van der Berg's",
        "Jean-Luc Lambert",
        "Mr van der Berg's",
        "Bashar al-Assad",
        "Prosecutor de Vries",
        "Judge Lambert",
        "Dr de Vries",
        "14 million euros",
    ),
)

RESULTS_DE = Pair(
    "results_de",
    "company results, from German",
    mt="""Siemens Energy raises forecast after strong quarter

Munich, 14 November (dpa-AFX) - Siemens Energy expects revenue growth of 3-4 percent in fiscal year 2025, the company said on Wednesday.
In the fiscal year 2023/24, which ended in September, revenue rose by 12 percent to 34.5 billion euros.
The net profit was 1.3 billion euros, after a loss of 4.6 billion euros a year earlier.
Orders reached a record 50.5 billion dollars; the order backlog grew to 123 billion euros.
The wind turbine unit Siemens Gamesa still lost 1.9 billion euros, and the company wants to cut 4,100 jobs there.
Chief executive Christian Bruch said the group would pay a dividend again for the first time in two years.
The group said it plans to create 1.200 jobs in Berlin.
Shares rose 7.5% in Frankfurt trading to 38.40 euros.
""",
    ref="""Siemens Energy lifts outlook as grid demand booms

Siemens Energy forecast revenue growth of 3 to 4 per cent for fiscal 2025, it said on Wednesday, November 14.
Revenue for the fiscal year to the end of September rose 12% to €34.5bn.
The company made a net profit of €1.3bn compared with a loss of €4.6bn in the previous year.
Orders hit a record €50.5bn, taking the backlog to €123bn.
Its wind turbine business, Siemens Gamesa, still lost €1.9 billion, and will cut 4,100 jobs.
Chief executive Christian Bruch said the group would resume dividend payments after a two-year pause.
It plans to create 1,200 jobs in Berlin.
The shares jumped 7.5 per cent to €38.40 in Frankfurt.
""",
    hits=(("number_mismatch", "1.200"), ("number_mismatch", "dollars")),
    lookalikes=(
        "3-4 percent",
        "fiscal year 2025",
        "2023/24",
        "12 percent",
        "34.5 billion euros",
        "1.3 billion euros",
        "50.5 billion",
        "4,100 jobs",
        "7.5%",
        "38.40 euros",
        "two years",
    ),
)

QUOTES_FR = Pair(
    "quotes_fr",
    "politics with nested quotes, from French",
    mt="""Macron: "I will not accept 'blackmail' from anyone"

Paris, 2 May (AFP) - French President Emmanuel Macron said on Tuesday that he "will not accept what some call 'a compromise' (in reality, a surrender)".
"When the opposition tells me 'withdraw the reform', I answer: 'no' (and I will say it again)," he told the newspaper Le Parisien.
The prime minister, Elisabeth Borne, said (in an interview with France Inter) that the government "remains open to dialogue.
Trade unions (CGT, CFDT and FO have called for a new day of strikes on 6 June.
Laurent Berger, the head of the CFDT, said: "We are told 'the debate is closed'; for us, it is not."
""",
    ref="""Macron vows no 'blackmail' over pension reform

French President Emmanuel Macron said on Tuesday he would not accept "what some call 'a compromise', which is in reality a surrender".
"When the opposition tells me to 'withdraw the reform', I say no, and I will say it again," Macron told Le Parisien.
Prime Minister Elisabeth Borne told France Inter the government "remains open to dialogue".
The unions (CGT, CFDT and FO) have called a new day of strikes on June 6.
CFDT leader Laurent Berger said: "We are told 'the debate is closed'; for us it is not."
""",
    hits=(
        ("unbalanced", '"remains'),
        ("unbalanced", "(CGT"),
    ),
    lookalikes=(
        "'blackmail'",
        "'a compromise' (in reality, a surrender)\"",
        "'withdraw the reform'",
        "'no' (and I will say it again),\"",
        "(in an interview with France Inter)",
        "'the debate is closed'",
        "(AFP)",
    ),
)

LIVEBLOG_UA = Pair(
    "liveblog_ua",
    "live blog with timestamps, from Ukrainian",
    mt="""Live: Storm Ciarán hits western Ukraine - updates

09:05 The State Emergency Service reported on Thursday morning that more than 900 settlements were without power.
09:42 Winds of up to 110 km/h were recorded in Lviv overnight, the regional administration said.
10:15 Updated at 10:15: Ukrenergo said that power had been restored to 420 settlements by 10 a.m.
11.30 GMT Three people were injured by falling trees in Ivano-Frankivsk, the governor said.
12:50 The storm is moving toward Poland, forecasters said. Schools in Lviv will remain closed until Monday, 6 November.
13:20 Prime Minister Denys Shmyhal said on Friday that repair crews were working in all affected regions.
""",
    ref="""Storm leaves hundreds of Ukrainian towns without power

More than 900 towns and villages in western Ukraine were left without electricity on Thursday morning as a storm swept the region, the emergency service said.
Gusts of up to 110 km/h were recorded in Lviv overnight.
By 10 a.m., the grid operator Ukrenergo had restored power to 420 settlements.
Three people were hurt by falling trees in Ivano-Frankivsk, the regional governor said.
Schools in Lviv will stay closed until Monday, November 6, as the storm moves towards Poland.
Prime Minister Denys Shmyhal said on Thursday that repair crews were at work in every affected region.
""",
    hits=(("date_mismatch", "Friday"),),
    lookalikes=(
        "09:05",
        "09:42",
        "10:15 Updated at 10:15",
        "11.30 GMT",
        "12:50",
        "13:20",
        "900 settlements",
        "110 km/h",
        "420 settlements",
        "10 a.m.",
        "Monday, 6 November",
        "Thursday morning",
    ),
)

BRANDS_ZH = Pair(
    "brands_zh",
    "technology and brands, from Chinese",
    mt="""TikTok, YouTube and WeChat compete for advertisers

Shanghai, 18 March (Caixin) - Short-video platform TikTok, owned by ByteDance, overtook YouTube in advertising revenue growth last year, according to a McKinsey report.
The report said that 35% of iPhone users in the US watched TikTok every day, while LinkedIn and PayPal were used mostly on a MacBook or other computers.
TikTok chief executive Shou ChewTikTok told the US Congress that the app was safe.
Florida Governor Ron DeSantis signed a law restricting the use of TikTok on state devices.
McDonald's, eBay and AstraZeneca's consumer unit were among the biggest advertisers on WeChat.
Apple's iPad and iPhone sales in China fell, while Huawei's HarmonyOS gained market share.
""",
    ref="""TikTok outpaces YouTube in ad growth, McKinsey says

TikTok, owned by China's ByteDance, grew its advertising revenue faster than YouTube last year, McKinsey said in a report.
Some 35% of US iPhone users open TikTok daily, the consultancy found; LinkedIn and PayPal are used mostly on MacBooks and other computers.
TikTok chief executive Shou Chew told Congress that the app was safe.
Florida Governor Ron DeSantis signed a law limiting TikTok on state devices.
Advertisers on WeChat include McDonald's, eBay and AstraZeneca's consumer health unit.
Apple's iPhone and iPad sales in China fell as Huawei's HarmonyOS gained share.
""",
    hits=(("merged_tokens", "ChewTikTok"),),
    lookalikes=(
        "TikTok, owned by ByteDance",
        "YouTube in",
        "McKinsey",
        "iPhone users",
        "LinkedIn and PayPal",
        "MacBook",
        "Ron DeSantis",
        "McDonald's, eBay and AstraZeneca's",
        "WeChat.",
        "iPad",
        "HarmonyOS",
    ),
)

SEOUL_KO = Pair(
    "seoul_ko",
    "Korea, from Korean",
    mt="""Samsung Electronics posts first profit rise in two years

Seoul, 7 July (Yonhap) - Samsung Electronics said on Friday that its operating profit in the second quarter rose to 10.4 trillion won（about 8 billion dollars）.
The company said that demand for memory chips used in artificial intelligence 서버 increased sharply.
Analysts at Kiwoom Securities said the figure exceeded market expectations.
Samsung shares rose 2.1% on the Korea Exchange, while rival SK Hynix gained 1.5%.
The company will announce detailed results on 31 July, 삼성전자는 밝혔다.
""",
    ref="""Samsung profit jumps on AI chip demand

Samsung Electronics said on Friday, July 7, its second-quarter operating profit rose to 10.4 trillion won ($8 billion).
Demand for memory chips used in artificial intelligence servers rose sharply, the company said.
Analysts at Kiwoom Securities said the result beat market forecasts.
Samsung shares rose 2.1% in Seoul, while SK Hynix added 1.5%.
Samsung will release full results on July 31.
""",
    hits=(
        ("foreign_script", "（"),
        ("foreign_script", "）"),
        ("foreign_script", "서버"),
        ("foreign_script", "삼성전자는 밝혔다"),
    ),
    lookalikes=("10.4 trillion won", "(Yonhap)", "SK Hynix", "2.1%", "31 July", "Kiwoom Securities"),
)

TOKYO_JA = Pair(
    "tokyo_ja",
    "Japan, from Japanese, with Russian and Arabic leftovers",
    mt="""Japan and Saudi Arabia agree on energy cooperation

Tokyo, 16 July (Kyodo) - Prime Minister Fumio Kishida met Crown Prince Mohammed bin Salman in Jeddah on Sunday and agreed to cooperate on hydrogen and ammonia.
Kishida said that Japan wanted a 「stable supply」 of crude oil, adding that the two countries would work on ク リ ー ン energy.
Saudi Energy Minister Prince Abdulaziz bin Salman said that the kingdom was Japan's largest oil supplier, وفق البيان.
Russian Deputy Foreign Minister Andrei Rudenko said separately that Moscow was ready to sell more oil to Japan, according to ТАСС.
The two sides signed 26 memorandums of understanding, the Japanese foreign ministry said.
""",
    ref="""Kishida, Saudi crown prince agree on clean energy push

Japanese Prime Minister Fumio Kishida met Saudi Crown Prince Mohammed bin Salman in Jeddah on Sunday, July 16, and agreed to cooperate on hydrogen and ammonia.
Kishida said Japan sought a stable supply of crude oil and cooperation on clean energy.
Saudi Energy Minister Prince Abdulaziz bin Salman said the kingdom was Japan's biggest supplier of oil.
Russian Deputy Foreign Minister Andrei Rudenko said Moscow was ready to sell Japan more oil, Tass reported.
The two countries signed 26 memorandums of understanding, Japan's foreign ministry said.
""",
    hits=(
        ("foreign_script", "「"),
        ("foreign_script", "」"),
        ("foreign_script", "ク リ ー ン"),
        ("foreign_script", "وفق البيان"),
        ("foreign_script", "ТАСС"),
    ),
    lookalikes=("Mohammed bin Salman", "Abdulaziz bin Salman", "(Kyodo)", "26 memorandums", "Andrei Rudenko"),
)

MARKUP_ES = Pair(
    "markup_es",
    "HTML and Markdown remnants, from Spanish",
    mt="""Chile approves new lithium strategy

Santiago, 21 April (EFE) - The Chilean government on Thursday approved a **national lithium strategy** that gives the state a majority stake in new projects.<br>
President Gabriel Boric said that the plan would attract investment &amp; protect the salt flats.
The state copper company Codelco will negotiate with SQM, the largest producer, the government said.&nbsp;
Shares of SQM fell 19% in New York after the announcement.
The opposition criticised the plan, according to [El Mercurio](https://www.elmercurio.com/).
</p><p>Chile has the world's largest lithium reserves.
""",
    ref="""Chile unveils plan to nationalise lithium industry

Chile's government on Thursday approved a national lithium strategy that will give the state a majority stake in new projects.
President Gabriel Boric said the plan would bring investment and protect the salt flats.
State copper miner Codelco will lead talks with SQM, the largest producer.
SQM shares fell 19% in New York after the announcement.
The opposition criticised the plan, El Mercurio reported.
Chile has the world's largest lithium reserves.
""",
    hits=(
        ("markup", "**national lithium strategy**"),
        ("markup", "<br>"),
        ("markup", "&amp;"),
        ("markup", "&nbsp;"),
        ("markup", "[El Mercurio](https://www.elmercurio.com/)"),
        ("markup", "</p><p>"),
    ),
    lookalikes=("(EFE)", "Gabriel Boric", "SQM, the largest", "19%", "Codelco"),
)

CABINET_PL = Pair(
    "cabinet_pl",
    "politics with lists of names, from Polish",
    mt="""New Polish government sworn in

Warsaw, 13 December (PAP) - President Andrzej Duda on Wednesday swore in the government of Prime Minister Donald Tusk.
The new ministers include Radoslaw Sikorski as foreign minister, Andrzej Domanski as finance minister and Wladyslaw Kosiniak-Kamysz as defence minister.
At the ceremony, Sikorski Domanski and Kosiniak-Kamysz thanked the president.
Tusk said that the government would restore the rule of law and unblock EU funds.
Duda, who is close to the Law and Justice party, said that he would watch the government closely.
""",
    ref="""Tusk's government sworn in by President Duda

Polish President Andrzej Duda swore in Prime Minister Donald Tusk's government on Wednesday.
Radoslaw Sikorski becomes foreign minister, Andrzej Domanski finance minister and Wladyslaw Kosiniak-Kamysz defence minister.
Sikorski, Domanski and Kosiniak-Kamysz thanked the president at the ceremony.
Tusk pledged to restore the rule of law and unlock EU funds.
Duda, an ally of the Law and Justice party, said he would keep a close eye on the government.
""",
    hits=(("merged_tokens", "Sikorski Domanski"),),
    lookalikes=(
        "Andrzej Duda",
        "Donald Tusk",
        "Radoslaw Sikorski",
        "Wladyslaw Kosiniak-Kamysz",
        "Law and Justice",
    ),
)

DOUBLES_PT = Pair(
    "doubles_pt",
    "doubled words, from Portuguese",
    mt="""Brazil's central bank cuts interest rate again

Brasilia, 20 September (Agencia Brasil) - Brazil's central bank cut its benchmark Selic rate by half a percentage point to 12.75 percent on Wednesday, the
the second cut in a row.
The bank said that that decision was unanimous. Analysts had had expected the cut.
Central bank governor Roberto Campos Neto said that inflation is is slowing, but the bank would remain cautious.
Finance Minister Fernando Haddad said the the government welcomed the decision.
""",
    ref="""Brazil cuts Selic rate to 12.75% as inflation eases

Brazil's central bank lowered its benchmark Selic interest rate by 50 basis points to 12.75% on Wednesday, its second cut in a row.
The decision was unanimous and had been expected by analysts.
Governor Roberto Campos Neto said inflation was slowing but the bank would stay cautious.
Finance Minister Fernando Haddad said the government welcomed the decision.
""",
    hits=(
        ("repeated_words", "the\nthe"),
        ("repeated_words", "had had expected"),
        ("repeated_words", "is is"),
        ("repeated_words", "the the"),
    ),
    lookalikes=("that that", "Roberto Campos Neto", "12.75 percent", "half a percentage point"),
)

AGENCY_KE = Pair(
    "agency_ke",
    "agencies credited differently, from Swahili",
    mt="""Kenya floods kill dozens

Nairobi, 30 April (Reuters) - Floods in Kenya have killed at least 42 people after a dam burst near Mai Mahiu, the Associated Press reported.
Interior Minister Kithure Kindiki told Reuters that rescue teams were searching for more victims.
President William Ruto visited the area on Tuesday and promised aid, the AP reported.
The Kenya Red Cross said more than 100 people had been injured.
""",
    ref="""Kenya dam burst kills at least 42 as floods worsen

At least 42 people were killed when a dam burst near Mai Mahiu in Kenya's Rift Valley, officials said, The Associated Press reported.
Interior Minister Kithure Kindiki told The Associated Press that rescue teams were still searching for victims.
President William Ruto visited the area on Tuesday and promised aid, AP reported.
The Kenya Red Cross said more than 100 people had been injured.
""",
    # No hit: a translated Reuters story says its source "told Reuters" where the AP's own report says
    # "told The Associated Press". Comparable reports credit their own agency: not a swap.
    lookalikes=(
        "(Reuters)",
        "told Reuters",
        "Associated Press reported",
        "the AP reported",
        "Kenya Red Cross",
        "William Ruto",
    ),
)

DATES_TR = Pair(
    "dates_tr",
    "dates and weekdays, from Turkish",
    mt="""Turkey's central bank raises rates to 40 percent

Ankara, 23 November (Anadolu) - Turkey's central bank on Thursday raised its policy rate by 500 basis points to 40 percent.
The bank said the decision was taken at a meeting on Wednesday, 23 November, and that the next meeting would be on 21 December.
Governor Hafize Gaye Erkan said on Thursday that tightening would end soon.
The lira weakened 0.3 percent to 28.85 per dollar on 24 November.
The bank's annual inflation forecast, published on 2 November, is 65 percent.
""",
    ref="""Turkey hikes rates to 40% and signals end of tightening

Turkey's central bank raised its policy rate by 500 basis points to 40% on Thursday, November 23.
The decision was taken at a meeting on Thursday, November 23, and the next meeting is on December 21, the bank said.
Governor Hafize Gaye Erkan said on Thursday that tightening would end soon.
The lira weakened 0.3% to 28.85 to the dollar on November 23.
The bank's inflation forecast, published on November 2, is 65% for the year.
""",
    hits=(
        ("date_mismatch", "Wednesday"),
        ("number_mismatch", "24 November"),
    ),
    lookalikes=(
        "on Thursday raised",
        "21 December",
        "40 percent.",
        "500 basis points",
        "2 November",
        "28.85",
    ),
)

MILLION_ES = Pair(
    "million_es",
    "large numbers written two ways, from Spanish",
    mt="""Mexico receives record number of tourists

Mexico City, 10 January (Notimex) - Mexico received 42.2 million international tourists in 2023, the tourism ministry said on Wednesday.
Cancun airport alone handled 1.200.000 international passengers in December, and Mexico City 1,2 million.
Tourists spent 30.8 billion dollars, 10.5 percent more than in 2022, and stayed 4,5% longer.
The ministry expects 45 million visitors in 2024, a figure that would exceed the pre-pandemic record of 45,000,000.
""",
    ref="""Mexico welcomes record 42.2 million foreign tourists in 2023

Mexico received 42,200,000 international visitors in 2023, the tourism ministry said on Wednesday.
Cancun airport handled 1.2 million international passengers in December, and Mexico City 1.2 million.
Spending by tourists rose 10.5% from 2022 to $30.8bn, and stays were 4.5% longer.
The ministry forecasts 45 million visitors in 2024, which would beat the pre-pandemic record of 45 million.
""",
    hits=(
        ("number_mismatch", "1.200.000"),
        ("number_mismatch", "1,2 million"),
        ("number_mismatch", "4,5%"),
    ),
    lookalikes=(
        "42.2 million",
        "30.8 billion dollars",
        "10.5 percent",
        "45 million visitors",
        "45,000,000",
    ),
)

ARTICLES: tuple[Pair, ...] = (
    VOLLEY_IT,
    COURT_NL,
    RESULTS_DE,
    QUOTES_FR,
    LIVEBLOG_UA,
    BRANDS_ZH,
    SEOUL_KO,
    TOKYO_JA,
    MARKUP_ES,
    CABINET_PL,
    DOUBLES_PT,
    AGENCY_KE,
    DATES_TR,
    MILLION_ES,
)
