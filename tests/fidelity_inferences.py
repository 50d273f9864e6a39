"""The inferences the seed data is allowed to make beyond the words its locators point to.

tests/test_fact_fidelity.py checks every fact row against the text its locator names: its
printed figures, dates, grades and names must be printed there, and a structured claim
(an intervention's status or target met, a participant's role) must have a trigger word
there. Where a row's value is a reading the located text does not print, it is listed here
with the reason a reviewer can check. Keep this list short: a row that is simply wrong is
fixed in the fixtures instead.

Keys are the test ids: "<model>:<natural key>" and the check, e.g.
"participant:kent-swindon-partnership/3 role".
"""

# A council's own report (a KCC report to KCC's Cabinet) calls the council "the Council" or
# prints a post without it ("Cabinet Member for Specialist Children's Services"): a post,
# organisation or participant in such a report may be filed under the publishing council
# without its name being printed at the locator. Rows of these models only:
OWN_COUNCIL_ROWS = {"post", "organisation", "participant"}

# A status is stated as at the report's own date unless the report says otherwise: a row
# whose "status as of" is its source's date (to the same precision) needs no date printed at
# its locator.
STATUS_AS_OF_REPORT_DATE = "status as of = the source's date"

# A participant filed under its intervention's subject council: a report about one council
# names that council's people by post alone ("the Leader, Lead Member for Children's
# Services, Chief Executive") or as "the Council".
SUBJECT_COUNCIL = "participant council = the intervention's subject council"

# An organisation that belongs to a council may carry the council's place name in front of
# the name the report prints ("Slough Wellbeing Board" for "the Wellbeing Board" in the Slough
# report): the printed remainder is accepted.
COUNCIL_PREFIX = "organisation name = council's place name + the printed name"

REVIEW_REPORT = (
    "A published report cited with its date in a footnote: a review whose report has been "
    "published is over, though the footnote does not say 'completed'."
)
DFE_AS_SECRETARY_OF_STATE = (
    "The report is addressed to (or the direction made by) the Secretary of State for "
    "Education, the minister at the head of the Department for Education; the department's "
    "own name is not printed here."
)
CSO_DIRECTOR_POSTS = (
    "The board list prints 'Two non-executive directors with following expertise' and then "
    "each director's expertise on its own line; the post joins the two, in the singular."
)

ALLOWED: dict[str, str] = {
    "intervention:doncaster-ways-forward-review-2013 status": REVIEW_REPORT,
    "intervention:birmingham-ways-forward-review-2014 status": REVIEW_REPORT,
    "intervention:slough-c4eo-sector-led-reviews-2011-12 status": (
        "Listed among the documents the review team read ('Sector-led improvement reviews, "
        "2011-12 (C4EO reports ...)'): reviews whose reports were received are over."
    ),
    "participant:doncaster-ways-forward-review-2013/4 organisation": DFE_AS_SECRETARY_OF_STATE,
    "participant:doncaster-ways-forward-review-2013/4 role": DFE_AS_SECRETARY_OF_STATE,
    "participant:birmingham-ways-forward-review-2014/4 organisation": DFE_AS_SECRETARY_OF_STATE,
    "participant:birmingham-ways-forward-review-2014/4 role": DFE_AS_SECRETARY_OF_STATE,
    "participant:hampshire-isle-of-wight-dcs-arrangement/4 organisation": (
        DFE_AS_SECRETARY_OF_STATE
    ),
    "participant:slough-opm-dfe-review-2014/2 role": (
        "DfE commissioned the review (the Introduction: 'the Department for Education (DfE) "
        "appointed a review team') and supplies an official to it (item 3): oversight is the "
        "curator's reading of a client's part."
    ),
    "participant:slough-improvement-notice-2011/1 role": (
        "The paragraph prints only that the Improvement Board's membership included the DfE; "
        "'oversight' reads DfE's seat on the board that monitored the Notice. Second read to "
        "confirm the role."
    ),
    "participant:stoke-serco-partnership/6 role": (
        "Serco's promise to recruit a senior team was made to the DCSF, whose intervention the "
        "contract was; 'oversight' is the curator's reading. Second read to confirm the role."
    ),
    "participant:slough-option-independent-cso/10 role": (
        "The recommendation says the company's initial members 'should include the Council': "
        "'partner' is the curator's reading of a member of the company."
    ),
    "participant:doncaster-childrens-trust/1 role": (
        "The bullet names the arrangements 'between DfE, the appointed commissioner and "
        "Doncaster Council', which 'retains client functions': 'partner' is the curator's "
        "reading of a party to the arrangement."
    ),
    "intervention:slough-childrens-centres-outsourcing-2013 status": (
        "Outsourced in October 2013, seven months before the report; nothing says the "
        "arrangement ended, so it is read as still running."
    ),
    "intervention:slough-support-services-outsourcing status": (
        "'The Council has outsourced several support services' and 'there is a managed vendor "
        "service for agency staff': present tenses, read as running."
    ),
    "intervention:achieving-for-children-richmond-kingston status": (
        "Described as 'a new community interest company jointly owned by Richmond and Kingston "
        "Councils', in the present tense: read as running."
    ),
    "participant:slough-option-independent-cso/4 post": CSO_DIRECTOR_POSTS,
    "participant:slough-option-independent-cso/5 post": CSO_DIRECTOR_POSTS,
    "organisation:slough-commissioner-panel-proposed name": (
        "A descriptive name for a body SBC proposed and the report never names; listed for the "
        "second read."
    ),
}
