"""Red-team material: short article pairs written for the tests (no seed text, no evaluation data).

Each pair is an MT-style English translation with realistic garbles and an English reference report
of the same (invented or public) event. `hits` are (family, text) the check must flag: a flag of that
family overlapping the text. `lookalikes` are texts that are right and must not be overlapped by any
flag. Every text occurs exactly once in its MT (the tests assert it), so a span is unambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pair:
    name: str
    topic: str
    mt: str
    ref: str
    hits: tuple[tuple[str, str], ...] = ()
    lookalikes: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)


FOOTBALL_ES = Pair(
    "football_es",
    "sport, from Spanish",
    mt="""Real Madrid beat Atletico 3-1 in the Madrid derby

Madrid, 5 June (EFE).- Real Madrid won the derby against Atletico de Madrid by three goals to one on Saturday at the Santiago Bernabeu stadium, in front of 78,000 spectators.
The first goal came from Vinicius Junior in the 12th minute, after a pass from Jude Bellingham. Bellingham then scored the second goal before half-time.
Atletico reduced the gap through Antoine Griezmann, but Rodrygo sealed the victory in the 80th minute.
Coach Carlo Ancelotti praised his players after the match. "We played a very complete complete game," Ancelotti told reporters.
El entrenador del Atlético, Diego Simeone, dijo que su equipo no mereció perder el partido de esta noche.
The club said that that result leaves Real Madrid four points clear at the top of the table.
Real Madrid will play its next match against Sevilla on 12 June.
""",
    ref="""Real Madrid see off Atletico in derby to go four points clear

Real Madrid beat Atletico Madrid 3-1 at the Santiago Bernabeu on Saturday, June 5, in front of a crowd of 78,000.
Vinícius Júnior opened the scoring in the 12th minute from a Jude Bellingham pass, and Bellingham doubled the lead before half-time.
Antoine Griezmann pulled one back for Atletico, but Rodrygo sealed it with a goal in the 88th minute.
Carlo Ancelotti praised his players after the game, calling it "a very complete game".
Atletico coach Diego Simeone said his team did not deserve to lose.
The win leaves Real Madrid four points clear at the top of La Liga. Real Madrid face Sevilla on June 12.
""",
    hits=(
        ("repeated_words", "complete complete"),
        ("wrong_language", "dijo que su equipo"),
        ("number_mismatch", "80th"),
    ),
    lookalikes=("that that", "5 June", "12 June", "Vinicius Junior", "78,000", "(EFE)", "3-1"),
)

COURT_RU = Pair(
    "court_ru",
    "courts, from Russian",
    mt="""Moscow court sentences journalist to six years

Moscow, 14 March (Interfax) - The Meshchansky District Court of Moscow on Tuesday sentenced journalist Sergei Volkov to six years in a penal colony, the court's press service told Interfax.
Volkov, who worked for the newspaper Novaya Gazeta, was found guilty of spreading "false information about the army.
According to the court, Volkov published the posts on Telegram in April 2022.
The prosecutor had asked for seven years in prison for the journalist.
His lawyer Anna Karpova said the defence would appeal the verdict в Мосгорсуд. "We do not agree with the the decision," Karpova said.
Judge Olga Smirnova also banned Volkov from running websites for four years.
Sergei Volkow's wife was present in the courtroom.
""",
    ref="""Russian journalist jailed for six years over army posts

A Moscow court on Tuesday, March 14, jailed journalist Sergei Volkov for six years for spreading what it called false information about the Russian army, Interfax news agency reported.
Volkov, a reporter for Novaya Gazeta, was convicted over posts criticising the war.
The posts were published on Telegram in August 2022, the court said.
Prosecutors had sought a 7-year prison term for the journalist.
His lawyer, Anna Karpova, told reporters the defence would appeal.
Judge Elena Kuznetsova also barred Volkov from administering websites for four years.
Volkov's wife was in the courtroom when the sentence was read.
""",
    hits=(
        ("unbalanced", '"false information'),
        ("date_mismatch", "April"),
        ("foreign_script", "в Мосгорсуд"),
        ("repeated_words", "the the"),
        ("entity_swap", "Olga Smirnova"),
        ("name_variants", "Volkow"),
    ),
    lookalikes=("seven years", "14 March", "six years in", "Novaya Gazeta", '"We do not agree'),
)

MARKETS_ZH = Pair(
    "markets_zh",
    "markets, from Chinese",
    mt="""Shanghai stocks rise as tech shares rally

Beijing, 6 November (Xinhua) -- China's A-share market closed higher on Monday, with the Shanghai Composite Index up 1.2 percent to 3,058 points。The Shenzhen Component Index rose 1.8 percent.
The ChiNext index of growth enterprises gained 2.1 percent on the day.
Turnover on the Shanghai and Shenzhen exchanges reached 1.5 trillion yuan.
Shares of technology companies led the gains, with Tencent, the owner of WeChat, and electric carmaker BYD both up more than 3 percent.
Analysts at China International Capital Corporation (CICC said foreign investors bought a net 5.6 billion yuan of mainland shares via the Stock Connect scheme.
【Related reading】 A-shares hit three-month high | Yuan strengthens against dollar
The People's Bank of China kept its one-year loan prime rate unchanged at 3.45 percent.
""",
    ref="""Chinese stocks climb as tech rally lifts Shanghai

Chinese shares ended higher on Monday, Nov. 6, as technology stocks rallied, Reuters reported.
The Shanghai Composite Index rose 1.2% to close at 3,058 points, while the Shenzhen Component Index added 1.8%.
The start-up board ChiNext rose 2.6% on the day.
Combined turnover on the Shanghai and Shenzhen exchanges was 1,500 billion yuan.
Tencent, which owns WeChat, and electric vehicle maker BYD each gained more than 3%.
Analysts at China International Capital Corp (CICC) said foreign investors bought a net 5.6 billion yuan of mainland shares through the Stock Connect link.
The People's Bank of China left its one-year loan prime rate at 3.45%.
""",
    hits=(
        ("foreign_script", "。"),
        ("number_mismatch", "2.1 percent"),
        ("unbalanced", "(CICC"),
        ("boilerplate_in_body", "Related reading"),
        ("foreign_script", "【"),
        ("foreign_script", "】"),
    ),
    lookalikes=("ChiNext", "WeChat", "1.5 trillion", "3,058", "Stock Connect", "A-share market", "(Xinhua)"),
)

LUXOR_AR = Pair(
    "luxor_ar",
    "science/archaeology, from Arabic",
    mt="""Egypt announces discovery of 3,000-year-old city near Luxor

Cairo, 8 April (MENA) - Egyptian President Abdel Fattah al-Sisi congratulated the archaeological mission that discovered a lost city buried under the sand near Luxor.
The mission, led by archaeologist Zahi Hawass, said that the city dates back to the reign of King Amenhotep III, about 3,400 years ago.
The team, which employed about 120 workers, found houses, bakeries and tools, Hawass said, adding that excavations began in September 2020.
"This is the most important discovery since the tomb of Tutankhamun," Hawas said.
The find was also praised by Zahi HawassMostafa Waziri, head of the Supreme Council of Antiquities, who called it remarkable.
ALSO READ | Saudi Crown Prince Mohammed bin Salman launches new heritage authority
Tourism and Antiquities Minister Khaled el-Enany said the site would be opened to visitors next year.
The ministry said that Saudi Crown Prince Mohammed bin Salman had sent a message of congratulations.
وقال الوزير إن البعثة ستواصل عملها في الموقع.
""",
    ref="""'Lost golden city' found in Egypt's Luxor

Archaeologists in Egypt have uncovered a 3,000-year-old city buried under the sands near Luxor, the country's antiquities authorities said on April 8.
The find was made by a mission led by the renowned archaeologist Zahi Hawass, who said the city dated to the reign of Amenhotep III, some 3,400 years ago.
The team, which employed some 200 workers, found houses, bakeries and tools, Hawass said, adding that excavations began in September 2020.
"This is the most important discovery since the tomb of Tutankhamun," Hawass said.
Mostafa Waziri, head of the Supreme Council of Antiquities, called the find remarkable.
Tourism and Antiquities Minister Khaled el-Enany said the site would open to visitors next year.
President Abdel Fattah al-Sisi praised the mission, and Saudi Crown Prince Mohammed bin Salman sent his congratulations.
""",
    hits=(
        ("number_mismatch", "120"),
        ("name_variants", "Hawas said"),
        ("merged_tokens", "HawassMostafa"),
        ("boilerplate_in_body", "ALSO READ"),
        ("foreign_script", "البعثة"),
    ),
    lookalikes=("al-Sisi", "Abdel Fattah", "3,400", "el-Enany", "September 2020", "Amenhotep III"),
)

DESANTIS_US = Pair(
    "desantis_us",
    "US politics, from Chinese",
    mt="""DeSantis signs social media law for minors

Florida Governor Ron DeSantis on Monday signed a bill that bans children under 14 from having accounts on platforms such as YouTube, Instagram and TikTok, the Miami Herald reported.
The law also requires parental consent for 14- and 15-year-olds, and will take effect on January 1 next year.
DeSantis said at a press conference in Jacksonville that social media "harms children in a variety of ways".
The bill was introduced by House Speaker Paul Renner, who called it a "historic step.
Meta, the owner of Facebook and Instagram, said in a statement to the Tampa Herald that it supports parental controls.
Critics, including NetChoice, a group backed by Google and Meta, said the law violates the First Amendment.
Governor DeSantis said that the state would defend the law in court.
Ron D. DeSantis added that parents had had enough of platforms that ignore them.
""",
    ref="""DeSantis signs law banning social media accounts for children under 14

Florida Gov. Ron DeSantis signed a bill on Monday that bars children under 14 from holding accounts on social media platforms such as YouTube, Instagram and TikTok, the Miami Herald reported.
Teens aged 14 and 15 will need a parent's consent. The law takes effect Jan. 1.
Speaking at a news conference in Jacksonville, DeSantis said social media harms children in a variety of ways.
House Speaker Paul Renner, who sponsored the bill, called it a historic step.
Meta, which owns Facebook and Instagram, told the Miami Herald in a statement that it supports parental controls.
NetChoice, a tech industry group funded by Google and Meta, said the law violates the First Amendment.
DeSantis said the state would defend the law in court. Parents have had enough, he said.
""",
    hits=(("unbalanced", '"historic'), ("entity_swap", "Tampa Herald")),
    lookalikes=(
        "Ron DeSantis on",
        "YouTube",
        "TikTok",
        "NetChoice",
        "Ron D. DeSantis",
        "Governor DeSantis",
        "had had",
        "January 1",
        "14- and 15-year-olds",
    ),
)

APPLE_US = Pair(
    "apple_us",
    "technology/markets, from Chinese",
    mt="""Apple unveils new iPhone and MacBook at September event

Cupertino, September 12 - Apple on Tuesday unveiled the iPhone 15 and a new MacBook Air at its annual product event, Chief Executive Tim Cook said.
The iPhone 15 will start at $799, the same price as last year's model, and will go on sale on 22 September.
Apple said the new phones would use USB-C charging ports, following a European Union rule.
Analyst Ming-Chi Kuo said that demand in China China could be weaker this year due to competition from Huawei.
Shares of Apple fell 1.7 percent after the event, while shares of PayPal and LinkedIn parent Microsoft were little changed.
The company also said it expects revenue of $3bn from its services business in the quarter.
Tim CookApple also announced a new Apple Watch, senior vice president Greg Joswiak told CNBC.
""",
    ref="""Apple launches iPhone 15 with USB-C port

Apple on Tuesday unveiled the iPhone 15 and a refreshed MacBook Air at its annual September event in Cupertino, chief executive Tim Cook said.
The iPhone 15 starts at $799, unchanged from last year, and goes on sale September 22.
The switch to USB-C charging follows a European Union rule.
Analyst Ming-Chi Kuo said demand in China could be weaker this year because of competition from Huawei.
Apple shares fell 1.3% after the event. Shares of PayPal and Microsoft, which owns LinkedIn, were little changed.
Apple expects its services business to bring in 3 billion dollars in the quarter.
Apple also announced a new Apple Watch, senior vice president Greg Joswiak told CNBC.
""",
    hits=(
        ("repeated_words", "China China"),
        ("number_mismatch", "1.7 percent"),
        ("merged_tokens", "CookApple"),
    ),
    lookalikes=(
        "iPhone 15 and",
        "new MacBook Air",
        "PayPal",
        "LinkedIn",
        "$3bn",
        "22 September",
        "$799",
        "USB-C",
        "Ming-Chi Kuo",
    ),
)

EU_SANCTIONS = Pair(
    "eu_sanctions",
    "EU politics, from German",
    mt="""EU leaders agree on new sanctions package

Brussels, 23 June (dpa) - European Commission President Ursula von der Leyen said on Friday that EU leaders had agreed on an eleventh package of sanctions against Russia.
Von der Leyen told reporters that the package targets companies in third countries that help Moscow evade sanctions.
Irish Prime Minister Leo Varadkar, his deputy Micheál Martin and Sinn Féin leader Mary Lou McDonald attended the summit in Brussels.
Northern Ireland First Minister Michelle O'Neill said she welcomed the the agreement.
The package must now be approved by the European Parliament (the EU's legislative body, which meets in Strasbourg.
Chancellor Olaf Scholz said that EU leaders would meet again in December.
Advertisement
Hungarian Prime Minister Viktor Orban said that his country would not veto the package.
""",
    ref="""EU agrees 11th sanctions package targeting evasion

European Commission President Ursula von der Leyen said on Friday, June 23, that EU leaders had agreed an eleventh package of sanctions against Russia.
The package targets companies in third countries that help Moscow get around existing sanctions, von der Leyen said.
Taoiseach Leo Varadkar, Tánaiste Micheál Martin and Sinn Féin leader Mary Lou McDonald were in Brussels for the summit.
Northern Ireland's First Minister Michelle O'Neill welcomed the agreement.
The measures still need the approval of the European Parliament, which sits in Strasbourg.
Chancellor Olaf Scholz said EU leaders would meet again in December.
Slovak Prime Minister Robert Fico said his country would not veto the package.
""",
    hits=(
        ("repeated_words", "the the"),
        ("unbalanced", "(the EU"),
        ("boilerplate_in_body", "Advertisement"),
        ("entity_swap", "Viktor Orban"),
    ),
    lookalikes=(
        "Ursula von der Leyen",
        "Von der Leyen",
        "McDonald",
        "O'Neill",
        "Micheál Martin",
        "Sinn Féin",
        "said that EU",
    ),
)

CONCERT_ZH = Pair(
    "concert_zh",
    "culture, from Chinese",
    mt="""British band Duran Duran to perform in Shanghai

Shanghai, 10 May (China News Service) -- British pop band Duran Duran will hold a concert at the Mercedes-Benz Arena in Shanghai on 15 August, the organiser announced on Wednesday.
It will be the band's first performance in mainland China in 12 years. Tickets will go on sale on 20 May, priced from 380 yuan to 1,880 yuan.
The show is organised by Live Nation and promoted on WeChat and Weibo, where the announcement was shared more than 100,000 times.
Chinese singer Li Li, who will open the show, said she was "very very excited".
The band's singer Simon Le Bon said in a video on YouTube: "We cannot wait to see our fans in Shanghai. It has been too long."
The organiser said that the concert concert would last about two hours.
Last year, the band performed in Tokyo and Seoul.
""",
    ref="""Duran Duran announce Shanghai concert

British band Duran Duran will play the Mercedes-Benz Arena in Shanghai on August 15, organisers said on Wednesday, May 10.
The show will be the group's first in mainland China for 12 years. Tickets, priced from 280 to 1,880 yuan, go on sale on May 20.
Organiser Live Nation promoted the concert on WeChat and Weibo, where the news was shared more than 100,000 times.
Singer Li Li will open the show.
"We cannot wait to see our fans in Shanghai. It has been too long," singer Simon Le Bon said in a video posted on YouTube.
The concert will last around two hours. The band played Tokyo and Seoul last year.
""",
    hits=(("repeated_words", "concert concert"), ("number_mismatch", "380")),
    lookalikes=(
        "British pop band Duran Duran",
        "Li Li",
        "very very",
        "Simon Le Bon",
        "Mercedes-Benz",
        '"We cannot wait',
        'too long."',
        "15 August",
    ),
)

PAROLE_ES = Pair(
    "parole_es",
    "courts, from Spanish",
    mt="""California board denies parole to Sirhan Sirhan

Los Angeles, 1 March (EFE).- The California parole board on Wednesday denied parole to Sirhan Sirhan, who murdered Senator Robert F. Kennedy in 1968.
Sirhan, 78, has been in prison for more than 50 years. It was his 17th parole hearing.
Governor Gavin Newsom had rejected his release in January 2022, saying that Sirhan still posed a risk to public safety.
Robert Kennedy Jr., the senator's son, had supported his release, but other members of the family opposed it.
The board said Sirhan had not shown "sufficient insight" into his crime.
His lawyer Angela Berry said she would ask a judge to review the decision.
Kenedy was shot at the Ambassador Hotel in Los Angeles after winning the California Democratic primary.
La familia del senador no ha hecho comentarios sobre la decisión de la junta.
""",
    ref="""Parole denied for RFK assassin Sirhan Sirhan

A California parole panel on Wednesday, March 1, denied parole to Sirhan Sirhan, the man convicted of assassinating Senator Robert Kennedy in 1968.
Sirhan, now 78, has spent more than 50 years in prison. It was his 16th parole hearing.
Governor Gavin Newsom rejected a previous recommendation for his release in January 2022, saying he remained a danger to the public.
Two of Kennedy's sons, including Robert F. Kennedy Jr., had backed his release, while other family members opposed it.
The panel found that Sirhan lacked sufficient insight into the crime.
His attorney, Angela Berry, said she would ask a court to review the decision.
Kennedy was shot at the Ambassador Hotel in Los Angeles moments after winning the California Democratic primary.
""",
    hits=(("number_mismatch", "17th"), ("name_variants", "Kenedy"), ("wrong_language", "no ha hecho")),
    lookalikes=(
        "parole to Sirhan Sirhan, who",
        "Robert F. Kennedy in",
        "Robert Kennedy Jr.",
        '"sufficient insight"',
        "January 2022",
    ),
)

OIL_RU = Pair(
    "oil_ru",
    "energy markets, from Russian",
    mt="""Russia to cut oil output by 500,000 barrels per day

Moscow, 10 February (TASS) - Russia will voluntarily cut oil production by 500,000 barrels per day in March, Deputy Prime Minister Alexander Novak said on Friday.
Novak said that that decision was a response to the Western price caps on Russian oil and oil products.
Russia currently produces about 10 million barrels of oil per day and exports about 1.5 million barrels per day of oil products.
Brent crude rose 2.4 percent to $86.39 a barrel after the announcement, Bloomberg reported.
Novak said the cut had not been agreed with OPEC+ and that Russia would not sell oil to countries that comply with the cap.
Kremlin spokesman Dmitri Peskov called the cut a sovereign decision.
The decision was announced by Deputy Prime Minister Alexander NovakEnergy Minister Nikolai Shulginov said Gazprom would keep supplying gas through Turkey.
In January, Russia's seaborne crude exports fell to 3.1 million barrels per day.
""",
    ref="""Russia to cut oil output in March in response to price caps

Russia will cut its oil production by 500,000 barrels per day, or about 5%, in March, Deputy Prime Minister Alexander Novak said on Friday, Feb. 10.
Novak said the move was a response to the Western price caps on Russian crude and oil products.
Russia produces around 10 million barrels per day of crude and exports about 1,500,000 barrels per day of oil products.
Brent crude futures rose 2% to $86.39 a barrel after the announcement, Bloomberg reported.
Novak said the cut had not been agreed with OPEC+ and that Russia would not sell oil to countries that comply with the cap.
Kremlin spokesman Dmitry Peskov called the cut a sovereign decision.
Energy Minister Nikolai Shulginov said Gazprom would keep supplying gas through Turkey.
Russia's seaborne crude exports fell to 3.1 million barrels per day in January.
""",
    hits=(("number_mismatch", "2.4 percent"), ("merged_tokens", "NovakEnergy")),
    lookalikes=(
        "that that",
        "1.5 million",
        "Dmitri Peskov",
        "OPEC+",
        "10 February",
        "500,000 barrels per day in",
        "3.1 million",
    ),
)


# Second batch: mostly look-alikes, to look for false alarms (camel-case brands whose parts stand
# alone elsewhere, names with and without titles and particles, figures and dates written two ways).
TENNIS_FR = Pair(
    "tennis_fr",
    "sport, from French",
    mt="""Djokovic beats Alcaraz to win Paris title

Paris, 5 June (AFP) - Novak Djokovic won his 24th Grand Slam title on Sunday, beating Spain's Carlos Alcaraz 6-4, 7-6 (7-5) in the final at Roland Garros.
"I am very happy. This title means a lot to me and to my family," Djokovic said after the match.
"I have worked all my life for moments like this."
Mr Djokovic will receive a prize of $3.5 million, the organisers said. Former champion John McEnroe, commentating for Eurosport, called it "a masterclass".
Alcaraz, whose coach Juan Carlos Ferrero watched from the stands, said the Serb had had the better of him in the long rallies.
The Serbian will next play at Wimbledon, which starts on 3 July. LeBron James and Rory McIlroy were among the spectators, along with Irish rugby captain Paul O'Connell.
""",
    ref="""Djokovic edges Alcaraz for 24th major

Novak Djokovic won his 24th Grand Slam title at Roland Garros on Sunday, June 5, beating Carlos Alcaraz 6-4, 7-6 (7-5) in the final, AFP reported.
"I am very happy. This title means a lot to me and to my family," Djokovic said. "I have worked all my life for moments like this."
Djokovic takes home 3,500,000 dollars in prize money. John McEnroe, working for Eurosport, called it a masterclass.
Alcaraz, coached by Juan Carlos Ferrero, said Djokovic had had the upper hand in the long rallies.
Djokovic plays next at Wimbledon, starting July 3. LeBron James, Rory McIlroy and Paul O'Connell watched from the stands.
""",
    lookalikes=(
        "Novak Djokovic won",
        "Mr Djokovic",
        "$3.5 million",
        "5 June",
        "3 July",
        "John McEnroe",
        "Eurosport",
        "had had",
        "LeBron James",
        "McIlroy",
        "O'Connell",
        "(7-5)",
        '"I am very happy.',
        'moments like this."',
    ),
)

GULF_AR = Pair(
    "gulf_ar",
    "Gulf diplomacy, from Arabic",
    mt="""Saudi crown prince receives Qatari emir in Riyadh

Riyadh, 14 May (SPA) - Saudi Crown Prince Mohammed bin Salman received Qatar's Emir Sheikh Tamim bin Hamad Al Thani in Riyadh on Sunday, the Saudi Press Agency reported.
The two leaders discussed regional developments and signed agreements worth $3bn, including a plan to build 1.5 million homes.
Sheikh Tamim later flew to Abu Dhabi, where he met UAE President Sheikh Mohamed bin Zayed.
Egyptian President Abdel Fattah al-Sisi and President Sisi's foreign minister Sameh Shoukry joined the talks by video link, Al Jazeera reported.
The crown prince, known as MBS, said the kingdom's Vision 2030 plan would create jobs for young Saudis.
""",
    ref="""Qatar's emir visits Saudi Arabia for talks with crown prince

Saudi Crown Prince Mohammed bin Salman hosted Qatar's Emir Sheikh Tamim bin Hamad Al Thani in Riyadh on Sunday, May 14, the Saudi Press Agency said.
They discussed the region and signed deals worth 3 billion dollars, including a plan for 1,500,000 homes.
Tamim then travelled to Abu Dhabi to meet UAE President Mohamed bin Zayed.
Egypt's President Abdel Fattah el-Sisi and Foreign Minister Sameh Shoukry joined by video, according to Al Jazeera.
Prince Mohammed, widely known as MBS, said his Vision 2030 plan would create jobs for young Saudis.
""",
    lookalikes=(
        "Mohammed bin Salman",
        "Sheikh Tamim bin Hamad Al Thani",
        "Sheikh Tamim later",
        "$3bn",
        "1.5 million",
        "14 May",
        "Abu Dhabi",
        "Mohamed bin Zayed",
        "al-Sisi",
        "President Sisi",
        "Al Jazeera",
        "Vision 2030",
    ),
)

CHIPS_ZH = Pair(
    "chips_zh",
    "technology, from Chinese",
    mt="""Chinese AI firms race to launch chatbots

Beijing, 20 March (Caixin) - Baidu on Thursday opened its Ernie Bot chatbot to the public, as Chinese technology companies race to catch up with OpenAI.
SenseTime, Alibaba and ByteDance, the owner of TikTok, are all testing similar products. Huawei said its HarmonyOS system now runs on 700 million devices.
Shares of SenseTime rose 4 percent in Hong Kong. A spokesman for the company said the model made sense for business users and would be ready in time for the summer.
Analysts at BlackRock said Chinese firms faced a shortage of chips after Washington restricted sales by Nvidia. The rock band Black Sabbath was unrelated to any of this.
Users in WeChat groups shared screenshots, and some complained on Weibo that the bot was slow. Yao Yao, a student in Shanghai, said she had used it to write an essay.
""",
    ref="""Baidu opens Ernie Bot to the public

Baidu opened its Ernie Bot chatbot to the public on Thursday, March 20, as Chinese tech firms race to catch up with OpenAI, Caixin reported.
SenseTime, Alibaba and TikTok owner ByteDance are testing rival products, and Huawei said its HarmonyOS runs on 700 million devices.
SenseTime shares rose 4% in Hong Kong.
BlackRock analysts said US curbs on Nvidia chip sales had left Chinese firms short of chips.
WeChat users shared screenshots, and some Weibo users said the bot was slow.
""",
    lookalikes=(
        "OpenAI",
        "SenseTime, Alibaba",
        "ByteDance",
        "HarmonyOS",
        "BlackRock",
        "Yao Yao",
        "700 million",
        "4 percent",
        "WeChat",
    ),
)


# Third batch: figures, dates and quotations written differently but equal.
ECONOMY_UK = Pair(
    "economy_uk",
    "economy, from Chinese",
    mt="""Bank of England raises rates to 5.25 per cent

London, 3 August (Xinhua) -- The Bank of England on Thursday raised its key interest rate by 0.25 percentage points to 5.25 per cent, the 14th consecutive increase.
The bank said inflation would fall to about 5 per cent by the end of the year, from 7.9 per cent in June.
Governor Andrew Bailey said: "We have to make sure inflation falls all the way back to the 2% target.
"It is too early to say that rates have peaked."
The government will spend £1.2bn on energy support, and about half a million households will receive help. A third of mortgage holders face higher payments.
The UK economy grew by 0.2 per cent in the second quarter, official figures showed on 10th August.
""",
    ref="""BoE lifts rates to 15-year high of 5.25%

The Bank of England raised interest rates by a quarter point to 5.25% on Thursday, Aug. 3, its 14th hike in a row.
The BoE said inflation would fall to around 5% by the end of the year, down from 7.9% in June.
"We have to make sure inflation falls all the way back to the 2% target. It is too early to say that rates have peaked," Governor Andrew Bailey said.
The government will spend 1.2 billion pounds on energy support, with around 500,000 households receiving help. One third of mortgage holders face higher payments.
Official figures published on August 10 showed the economy grew by 0.2% in the second quarter.
""",
    lookalikes=(
        "5.25 per cent,",
        "14th",
        "about 5 per cent",
        "7.9 per cent",
        '"We have to',
        "2% target.",
        "£1.2bn",
        "half a million",
        "A third",
        "0.2 per cent",
        "10th August",
        '"It is too early',
    ),
)

JAPAN_JA = Pair(
    "japan_ja",
    "Japan, from Japanese",
    mt="""Japan begins releasing treated water from Fukushima plant

Tokyo, 24 August (Kyodo) - Tokyo Electric Power Company Holdings (TEPCO) began releasing treated radioactive water from the crippled Fukushima Daiichi nuclear plant into the Pacific Ocean on Thursday.
Prime Minister Kishida Fumio said the release was safe and that the government would support local fishermen.
TEPCO plans to release about 7,800 tonnes of water in the first round, over 17 days.
The International Atomic Energy Agency (IAEA) said in July that the plan met international safety standards.
China's General Administration of Customs suspended imports of seafood from Japan, the customs agency said.
Mr. Kishida visited the plant on 20 August.
""",
    ref="""Japan starts releasing Fukushima water into the Pacific

Japan began releasing treated radioactive water from the wrecked Fukushima Daiichi nuclear plant into the Pacific on Thursday, Aug. 24, Kyodo News reported.
Prime Minister Fumio Kishida has said the release is safe and promised support for local fishermen.
Plant operator Tokyo Electric Power Company Holdings (TEPCO) will release about 7,800 tons in the first round, over 17 days.
The International Atomic Energy Agency (IAEA) said in July the plan met international safety standards.
China's customs agency suspended all imports of seafood from Japan.
Kishida visited the plant on Aug. 20.
""",
    lookalikes=(
        "Kishida Fumio",
        "Mr. Kishida",
        "(TEPCO)",
        "7,800 tonnes",
        "17 days",
        "20 August",
        "(IAEA)",
        "General Administration of Customs",
    ),
)

CRICKET_HI = Pair(
    "cricket_hi",
    "sport and business, from Hindi",
    mt="""BCCI sells IPL media rights for Rs 48,390 crore

Mumbai, 14 June (PTI) - The Board of Control for Cricket in India (BCCI) sold the media rights of the Indian Premier League (IPL) for the next five years for Rs 48,390 crore, board secretary Jay Shah said on Tuesday.
Disney Star bought the television rights for Rs 23,575 crore, while Viacom18 won the digital rights for Rs 23,758 crore.
Former captain MS Dhoni and Virat Kohli welcomed the deal. Each match will now be worth more than Rs 100 crore to the board.
The previous deal, signed in 2017, was worth Rs 16,347 crore.
""",
    ref="""IPL media rights sold for $6.2 billion

India's cricket board BCCI sold Indian Premier League (IPL) media rights for the next five years for 483.9 billion rupees ($6.2 billion), board secretary Jay Shah said on Tuesday, June 14.
Disney Star bought the television rights for 235.75 billion rupees and Viacom18 the digital rights for 237.58 billion rupees.
Former captains MS Dhoni and Virat Kohli welcomed the deal. Each match is now worth more than 1 billion rupees to the board.
The previous deal, signed in 2017, was worth 163.47 billion rupees.
""",
    lookalikes=(
        "Rs 48,390 crore,",
        "Rs 23,575 crore",
        "Rs 23,758 crore",
        "Rs 100 crore",
        "Rs 16,347 crore",
        "MS Dhoni",
        "Viacom18",
        "(BCCI)",
    ),
)


PAIRS: tuple[Pair, ...] = (
    FOOTBALL_ES,
    COURT_RU,
    MARKETS_ZH,
    LUXOR_AR,
    DESANTIS_US,
    APPLE_US,
    EU_SANCTIONS,
    CONCERT_ZH,
    PAROLE_ES,
    OIL_RU,
    TENNIS_FR,
    GULF_AR,
    CHIPS_ZH,
    ECONOMY_UK,
    JAPAN_JA,
    CRICKET_HI,
)
