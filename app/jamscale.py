"""A jam the size of IBM's Innovation Jams, for benchmarks: `flask jam seed-scale`.

``seed_scale()`` fills an empty, migrated database with (by default) 150,000 people,
46,000 ideas, 1,000,000 votes and 200,000 comments in a few minutes. The per-request
domain functions would take hours at this size, so the rows are generated in memory and
written with Core INSERTs in large batches, a few transactions in all. Everything the
domain keeps consistent is worked out from those same rows, so the database reads as if
people had done it all through the app:

* people of every kind (staff, partners, customers) from 104 countries, with departments,
  time zones and English or Traditional Chinese as their language; one admin, one
  moderator and one executive with known logins;
* three campaigns: a 72-hour jam open now (started some 60 hours ago) holding most
  ideas, a smaller partner jam that is also open, and a closed, private staff campaign;
  each with its audience and the audit entry of its creation;
* ideas in English and Traditional Chinese with up to three tags, version 1, the
  "submitted" step of their history, the search terms ``domain.search.index_terms``
  gives, and their author following them; a few percent moved along the status pipeline
  by a moderator (history, notifications to followers, audit entries), a few hidden;
* votes one per person per idea, never on one's own idea, cast after the idea, about
  85 % up, heavy-tailed (a few ideas get most of them);
* comments after their idea, replies one level deep after their parent, commenters
  following the idea and the people concerned notified; a few deleted by their authors
  or hidden by the moderator; one idea with exactly ``hot_comments`` comments, the most
  discussed of all;
* activity that follows each person's day in their time zone, with a launch-day surge
  and a mid-jam peak, and stays within each campaign's pace limits (the halved limits of
  new accounts, for everyone);
* the kept counters (up/down votes, score, comments, trending, the campaigns' idea
  counts) set from the rows; the campaigns' vote totals and the ideas' "best" scores by
  ``domain.ideas.rescore_best``; then every dashboard tally rebuilt from the rows by
  ``domain.activity.rebuild_activity``.

Not written: the campaigns' live streams (``campaign_events``, a catch-up buffer for open
pages), pairwise comparisons, flags, invites, reviews and API tokens.

The data is deterministic for a given ``seed`` (the timestamps follow "now").
"""
import math
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
from flask import current_app
from sqlalchemy import Integer, func, select, text

from app.domain import activity, search
from app.domain import campaigns as campaign_rules
from app.domain import ideas as idea_rules
from app.domain import limits
from app.domain.accounts import hash_password
from app.domain.clock import utcnow
from app.domain.text import render_markdown
from app.extensions import db
from app.models import (AuditEntry, Campaign, CampaignAudience, Comment, ContentState, Idea, IdeaFollow,
                        IdeaSearchTerm, IdeaStatus, IdeaStatusChange, IdeaVersion, Notification,
                        NotificationKind, ParticipantKind, Role, Tag, User, Vote, VotingMode, idea_tags)

DEFAULT_IDEAS = 46_000
DEFAULT_PEOPLE = 150_000
DEFAULT_VOTES = 1_000_000
DEFAULT_COMMENTS = 200_000
HOT_COMMENTS = 300
DEFAULT_SEED = 46
MIN_PEOPLE = 20
SCALE_DOMAIN = "scale.ideajam.example"
SCALE_PASSWORD = "scale-password-2026"
# Changes whenever the generated data changes shape, so cached benchmark databases are rebuilt.
FORMAT = 3

BATCH = 20_000
MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000  # milliseconds
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
STAFF, PARTNER, CUSTOMER = ParticipantKind.STAFF, ParticipantKind.PARTNER, ParticipantKind.CUSTOMER
KINDS = (STAFF, PARTNER, CUSTOMER)

# The pace limits every generated person keeps: those of an account younger than a week,
# so nobody could have been refused whatever their account's age.
IDEA_ALLOWANCE = max(1, Campaign.__table__.c.limit_ideas_per_hour.default.arg // 2)
COMMENT_ALLOWANCE = max(1, Campaign.__table__.c.limit_comments_per_minute.default.arg // 2)


class ScaleSeedRefused(Exception):
    """The database is not one to seed (it already has ideas, or the scale accounts)."""


@dataclass(frozen=True)
class ScaleSpec:
    ideas: int = DEFAULT_IDEAS
    people: int = DEFAULT_PEOPLE
    votes: int = DEFAULT_VOTES
    comments: int = DEFAULT_COMMENTS
    hot_comments: int = HOT_COMMENTS
    seed: int = DEFAULT_SEED

    @classmethod
    def scaled(cls, ideas=DEFAULT_IDEAS, *, people=None, votes=None, comments=None,
               hot_comments=HOT_COMMENTS, seed=DEFAULT_SEED):
        """A jam of ``ideas`` ideas; people, votes and comments in the default proportions
        unless given."""
        def proportional(given, default):
            return given if given is not None else round(default * ideas / DEFAULT_IDEAS)

        return cls(ideas=ideas, people=max(MIN_PEOPLE, proportional(people, DEFAULT_PEOPLE)),
                   votes=proportional(votes, DEFAULT_VOTES), comments=proportional(comments, DEFAULT_COMMENTS),
                   hot_comments=hot_comments, seed=seed)

    @property
    def hot(self) -> int:
        """Comments on the most discussed idea: ``hot_comments``, at most a quarter of all."""
        return min(self.hot_comments, self.comments // 4) if self.ideas else 0


@dataclass
class ScaleSummary:
    counts: dict
    stages: list
    seconds: float
    hot_idea_id: int | None
    hot_comments: int
    campaigns: list  # (id, slug, title, published ideas)
    logins: list  # (label, email)
    password: str = SCALE_PASSWORD


def seed_scale(spec: ScaleSpec | None = None, echo=None) -> ScaleSummary:
    """Seed a jam of ``spec``'s size into this empty, migrated database; ``echo`` hears of
    each stage as it ends."""
    return _Seeder(spec or ScaleSpec(), echo or (lambda _message: None)).run()


def scale_email(local_part):
    return f"{local_part}@{SCALE_DOMAIN}"


ROLE_LOGINS = [
    ("Admin", "admin", Role.ADMIN, "Grace Lin", "IT", "TW", "en", "Asia/Taipei"),
    ("Moderator", "moderator", Role.MODERATOR, "Priya Raman", "Customer Care", "SG", "en", "Asia/Singapore"),
    ("Executive", "executive", Role.EXECUTIVE, "David Okafor", "Executive Office", "GB", "en", "Europe/London"),
]

# --------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------

# (ISO 3166 alpha-2, weight, name pool, IANA zones): 104 countries.
COUNTRIES = [
    ("TW", 14, "zh", ("Asia/Taipei",)),
    ("US", 10, "en", ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")),
    ("IN", 8, "in", ("Asia/Kolkata",)),
    ("GB", 5, "en", ("Europe/London",)),
    ("CN", 4, "zh", ("Asia/Shanghai",)),
    ("HK", 5, "zh", ("Asia/Hong_Kong",)),
    ("JP", 4, "ja", ("Asia/Tokyo",)),
    ("DE", 4, "de", ("Europe/Berlin",)),
    ("SG", 3, "sea", ("Asia/Singapore",)),
    ("AU", 3, "en", ("Australia/Sydney", "Australia/Melbourne", "Australia/Perth")),
    ("FR", 2.5, "fr", ("Europe/Paris",)),
    ("BR", 2.5, "es", ("America/Sao_Paulo",)),
    ("CA", 2, "en", ("America/Toronto", "America/Vancouver")),
    ("KR", 2, "ko", ("Asia/Seoul",)),
    ("IT", 1.5, "fr", ("Europe/Rome",)),
    ("ES", 1.5, "es", ("Europe/Madrid",)),
    ("NL", 1.5, "de", ("Europe/Amsterdam",)),
    ("MY", 1.5, "sea", ("Asia/Kuala_Lumpur",)),
    ("PH", 1.5, "sea", ("Asia/Manila",)),
    ("ID", 1.5, "sea", ("Asia/Jakarta",)),
    ("VN", 1.2, "sea", ("Asia/Ho_Chi_Minh",)),
    ("TH", 1.2, "sea", ("Asia/Bangkok",)),
    ("MX", 1.2, "es", ("America/Mexico_City",)),
    ("MO", 1, "zh", ("Asia/Macau",)),
    ("IE", 1, "en", ("Europe/Dublin",)),
    ("SE", 1, "de", ("Europe/Stockholm",)),
    ("CH", 1, "de", ("Europe/Zurich",)),
    ("PL", 1, "de", ("Europe/Warsaw",)),
    ("ZA", 1, "af", ("Africa/Johannesburg",)),
    ("AE", 1, "af", ("Asia/Dubai",)),
    ("IL", 0.8, "en", ("Asia/Jerusalem",)),
    ("TR", 0.8, "af", ("Europe/Istanbul",)),
    ("NZ", 0.8, "en", ("Pacific/Auckland",)),
    ("AR", 0.8, "es", ("America/Argentina/Buenos_Aires",)),
    ("CL", 0.6, "es", ("America/Santiago",)),
    ("CO", 0.6, "es", ("America/Bogota",)),
    ("PE", 0.5, "es", ("America/Lima",)),
    ("BE", 0.6, "fr", ("Europe/Brussels",)),
    ("AT", 0.6, "de", ("Europe/Vienna",)),
    ("DK", 0.6, "de", ("Europe/Copenhagen",)),
    ("NO", 0.6, "de", ("Europe/Oslo",)),
    ("FI", 0.6, "de", ("Europe/Helsinki",)),
    ("PT", 0.6, "es", ("Europe/Lisbon",)),
    ("CZ", 0.5, "de", ("Europe/Prague",)),
    ("HU", 0.5, "de", ("Europe/Budapest",)),
    ("RO", 0.5, "fr", ("Europe/Bucharest",)),
    ("GR", 0.5, "fr", ("Europe/Athens",)),
    ("SA", 0.5, "af", ("Asia/Riyadh",)),
    ("EG", 0.5, "af", ("Africa/Cairo",)),
    ("NG", 0.5, "af", ("Africa/Lagos",)),
    ("KE", 0.5, "af", ("Africa/Nairobi",)),
    ("PK", 0.5, "in", ("Asia/Karachi",)),
    ("BD", 0.5, "in", ("Asia/Dhaka",)),
    ("LK", 0.3, "in", ("Asia/Colombo",)),
    ("NP", 0.2, "in", ("Asia/Kathmandu",)),
    ("UA", 0.4, "de", ("Europe/Kyiv",)),
    ("SK", 0.3, "de", ("Europe/Bratislava",)),
    ("SI", 0.2, "de", ("Europe/Ljubljana",)),
    ("HR", 0.3, "de", ("Europe/Zagreb",)),
    ("RS", 0.3, "de", ("Europe/Belgrade",)),
    ("BG", 0.3, "de", ("Europe/Sofia",)),
    ("LT", 0.2, "de", ("Europe/Vilnius",)),
    ("LV", 0.2, "de", ("Europe/Riga",)),
    ("EE", 0.2, "de", ("Europe/Tallinn",)),
    ("LU", 0.2, "fr", ("Europe/Luxembourg",)),
    ("IS", 0.1, "de", ("Atlantic/Reykjavik",)),
    ("MT", 0.1, "en", ("Europe/Malta",)),
    ("CY", 0.1, "fr", ("Asia/Nicosia",)),
    ("QA", 0.3, "af", ("Asia/Qatar",)),
    ("KW", 0.2, "af", ("Asia/Kuwait",)),
    ("BH", 0.1, "af", ("Asia/Bahrain",)),
    ("OM", 0.1, "af", ("Asia/Muscat",)),
    ("JO", 0.2, "af", ("Asia/Amman",)),
    ("LB", 0.1, "af", ("Asia/Beirut",)),
    ("MA", 0.3, "fr", ("Africa/Casablanca",)),
    ("TN", 0.2, "fr", ("Africa/Tunis",)),
    ("GH", 0.3, "af", ("Africa/Accra",)),
    ("ET", 0.2, "af", ("Africa/Addis_Ababa",)),
    ("TZ", 0.2, "af", ("Africa/Dar_es_Salaam",)),
    ("UG", 0.2, "af", ("Africa/Kampala",)),
    ("CI", 0.1, "fr", ("Africa/Abidjan",)),
    ("SN", 0.1, "fr", ("Africa/Dakar",)),
    ("KH", 0.2, "sea", ("Asia/Phnom_Penh",)),
    ("MM", 0.2, "sea", ("Asia/Yangon",)),
    ("MN", 0.1, "sea", ("Asia/Ulaanbaatar",)),
    ("KZ", 0.2, "de", ("Asia/Almaty",)),
    ("UZ", 0.1, "af", ("Asia/Tashkent",)),
    ("BN", 0.1, "sea", ("Asia/Brunei",)),
    ("FJ", 0.1, "en", ("Pacific/Fiji",)),
    ("PG", 0.1, "en", ("Pacific/Port_Moresby",)),
    ("EC", 0.2, "es", ("America/Guayaquil",)),
    ("UY", 0.2, "es", ("America/Montevideo",)),
    ("PY", 0.1, "es", ("America/Asuncion",)),
    ("BO", 0.1, "es", ("America/La_Paz",)),
    ("VE", 0.2, "es", ("America/Caracas",)),
    ("CR", 0.2, "es", ("America/Costa_Rica",)),
    ("PA", 0.2, "es", ("America/Panama",)),
    ("DO", 0.2, "es", ("America/Santo_Domingo",)),
    ("GT", 0.1, "es", ("America/Guatemala",)),
    ("JM", 0.1, "en", ("America/Jamaica",)),
    ("PR", 0.1, "es", ("America/Puerto_Rico",)),
    ("TT", 0.1, "en", ("America/Port_of_Spain",)),
    ("MU", 0.1, "fr", ("Indian/Mauritius",)),
    ("GE", 0.1, "de", ("Asia/Tbilisi",)),
]

NAMES = {
    "en": ("James Olivia Liam Emma Noah Ava Oliver Sophia Lucas Mia Ethan Amelia Mason Harper Logan Ella "
           "Jack Grace Henry Chloe Samuel Zoe Daniel Lily Ryan Hannah Nathan Sarah Adam Laura",
           "Smith Johnson Brown Taylor Wilson Davies Evans Thomas Roberts Walker Wright Robinson Thompson "
           "White Hughes Edwards Green Hall Wood Harris Clarke Jackson Turner Hill Moore Martin Cooper Ward"),
    "zh": ("Wei-Ting Chih-Ming Ya-Ting Chia-Hao Yi-Chun Chun-Chieh Kuan-Yu Mei-Ling Po-Han Hsin-Yi Ka-Ming "
           "Wing-Yan Jia-Hui Zhi-Wei",
           "Chen Lin Huang Chang Lee Wang Wu Liu Tsai Yang Hsu Cheng Chan Wong Leung"),
    "ja": ("Haruto Yui Sota Aoi Ren Hina Yuto Sakura Kenji Aiko Takumi Yuki Daiki Mio",
           "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato"),
    "ko": ("Min-jun Seo-yeon Ji-ho Ha-eun Do-yun Ji-woo Seo-jun Su-bin", "Kim Lee Park Choi Jung Kang Cho Yoon"),
    "in": ("Aarav Ananya Rahul Priya Vikram Sneha Arjun Kavya Rohan Ishita Sanjay Meera Amit Pooja",
           "Sharma Patel Iyer Reddy Gupta Mehta Nair Singh Rao Das Khan Joshi"),
    "es": ("Sofía Mateo Valentina Santiago Camila Diego Lucía Javier María Carlos Gabriela Andrés Ana Pedro",
           "García Rodríguez Martínez López González Pérez Sánchez Ramírez Torres Flores Silva Santos Oliveira"),
    "de": ("Lukas Anna Felix Lea Jonas Marie Leon Laura Paul Sophie Max Julia Erik Ingrid",
           "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz Keller Huber Novak"),
    "fr": ("Louis Chloé Gabriel Inès Hugo Léa Arthur Manon Jules Camille Adam Sarah Marco Giulia",
           "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Rossi Ferrari Benali"),
    "sea": ("Minh Linh Anh Somchai Nattaya Putri Budi Maria Jose Siti Ahmad Nurul Wei Jun",
            "Nguyen Tran Le Pham Wong Santos Reyes Tan Lim Rahman Hassan Siregar Goh"),
    "af": ("Amina Kwame Chinedu Fatima Omar Yusuf Zainab Tariq Layla Kofi Emre Elif",
           "Okafor Mensah Adeyemi Haddad Nasser Mwangi Abebe Diallo Farouk Kamau Yilmaz Demir"),
}
NAMES = {pool: (first.split(), last.split()) for pool, (first, last) in NAMES.items()}
ZH_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高"
ZH_GIVEN = ("志明 雅婷 宗翰 美玲 家豪 怡君 俊傑 淑芬 冠宇 婉婷 振宇 佳穎 承恩 詩涵 柏翰 宜蓁 建宏 欣怡 彥廷 雅雯 "
            "明哲 思妤 浩然 心怡 子軒 佩珊 育誠 筱涵 信宏 凱婷").split()

STAFF_DEPARTMENTS = [("Network Engineering", 14), ("Customer Care", 14), ("Retail", 10), ("IT", 10),
                     ("Product", 8), ("Marketing", 7), ("Enterprise Sales", 7), ("Field Operations", 7),
                     ("Billing", 4), ("Finance", 4), ("Security", 3), ("Research", 3), ("Strategy", 3),
                     ("Human Resources", 3), ("Legal", 2), ("Executive Office", 1)]
PARTNER_DEPARTMENTS = [("Partner Channel", 5), ("Systems Integration", 3), ("Device Partners", 2),
                       ("Content Partners", 2)]
CUSTOMER_DEPARTMENTS = [("Small Business", 5), ("Enterprise IT", 3), ("Education", 2), ("Public Sector", 1)]

# Topics: (English, Traditional Chinese or None, tags).
TOPICS = [
    ("SIM activation", "SIM 卡開通", ("esim", "self-service", "prepaid")),
    ("eSIM transfer", "eSIM 轉移", ("esim", "devices")),
    ("bill explanations", "帳單說明", ("billing", "ai")),
    ("roaming alerts", "漫遊提醒", ("roaming", "travel", "billing")),
    ("outage notifications", "斷線通知", ("outages", "network")),
    ("fibre installation booking", "光纖安裝預約", ("fibre", "onboarding")),
    ("5G coverage maps", "5G 涵蓋地圖", ("5g", "coverage")),
    ("data top-ups", "數據加購", ("prepaid", "payments")),
    ("device trade-ins", "舊機回收折抵", ("devices", "sustainability")),
    ("family plan sharing", "家庭方案共享", ("billing", "app")),
    ("network slicing for live events", "5G 網路切片", ("5g", "events", "enterprise")),
    ("store queue booking", "門市排隊預約", ("retail",)),
    ("router troubleshooting", "數據機故障排除", ("fibre", "customer-care", "automation")),
    ("contract renewals", "續約流程", ("loyalty", "billing")),
    ("number porting", "攜碼轉網", ("onboarding",)),
    ("call-centre callbacks", "客服回撥", ("customer-care",)),
    ("IoT fleet tracking", "物聯網車隊管理", ("iot", "enterprise")),
    ("smart home bundles", "智慧家庭組合", ("smart-home", "iot")),
    ("payment reminders", "繳費提醒", ("payments", "billing")),
    ("loyalty rewards", "會員回饋", ("loyalty",)),
    ("spam call blocking", "詐騙電話攔截", ("security", "privacy")),
    ("parental controls", "兒童上網保護", ("privacy", "app")),
    ("Wi-Fi calling setup", "Wi-Fi 通話設定", ("devices", "coverage")),
    ("technician visit tracking", "技師到府進度", ("operations", "fibre")),
    ("cell site energy savings", "基地台節能", ("sustainability", "network", "operations")),
    ("fault prediction on the core network", "核心網路故障預測", ("network", "analytics", "ai")),
    ("partner API onboarding", "合作夥伴 API 串接", ("partners", "cloud")),
    ("edge computing for factories", "工廠邊緣運算", ("edge", "enterprise", "5g")),
    ("accessible plan comparison", "無障礙資費比較", ("accessibility", "app")),
    ("student data passes", "學生數據方案", ("students", "prepaid")),
    ("senior-friendly phones", "長者友善手機", ("seniors", "devices", "accessibility")),
    ("chatbot handover to humans", "客服機器人轉真人", ("chatbot", "customer-care")),
    ("usage insights", "用量分析", ("analytics", "app")),
    ("cloud gaming on 5G", "5G 雲端遊戲", ("gaming", "5g")),
    ("streaming bundles", "影音串流組合", ("streaming",)),
    ("rural fixed wireless access", "偏鄉固定無線網路", ("rural", "5g", "coverage")),
    ("small-business hotspots", "中小企業熱點", ("small-business",)),
    ("travel eSIMs", "旅遊 eSIM", ("travel", "esim")),
    ("e-waste recycling", "電子廢棄物回收", ("sustainability", "devices")),
]
CHINESE_TAGS = {"network": "網路", "customer-care": "客服", "billing": "帳單", "retail": "門市",
                "sustainability": "永續", "ai": "人工智慧"}
EXTRA_TAGS = ("ai", "app", "customer-care", "network", "automation", "analytics")

EN_ADJECTIVES = ("Self-service", "AI-assisted", "One-tap", "Predictive", "Real-time", "Proactive", "Paperless",
                 "Automated", "Community-led", "Personalised", "Zero-touch", "Transparent", "Instant",
                 "Smarter", "Simpler")
EN_CONTEXTS = ("", "", "", " for prepaid customers", " in rural areas", " for small businesses",
               " during major events", " for older customers", " in the app", " over chat", " in our stores",
               " for enterprise fleets", " for travellers", " for students", " across Asia-Pacific",
               " with live tracking", " in under two minutes", " without a call to the helpdesk")
EN_WHO = ("customers", "small businesses", "technicians", "store staff", "partners", "families", "travellers",
          "field engineers", "call-centre agents", "students")
EN_VERBS = ("track {t} in real time", "manage {t} themselves", "see {t} before they have to ask",
            "sort out {t} without waiting on hold", "rate {t} after every visit", "set up {t} in one step")
EN_BENEFITS = ("no more bill shock", "half the calls to the helpdesk", "faster answers for everyone",
               "a greener network", "fewer truck rolls", "happier customers within a week",
               "one app instead of five", "zero paperwork", "a clear win for partners")
EN_PROBLEMS = (
    "Today {t} takes too many steps, and {who} tell us so in every survey.",
    "Most complaints about {t} end up in the call centre, where they cost us time and goodwill.",
    "Our competitors already offer better {t}; we still send people to a store.",
    "{Who} lose hours every month on {t}, and many give up halfway.",
    "We measured it last quarter: {t} is behind one in five calls to customer care.",
    "Nobody owns {t} end to end, so every team fixes its own piece and the customer sees the seams.",
    "When {t} goes wrong, {who} find out last, usually from social media.",
    "In the retail survey, {t} was the most common reason for a second visit.",
)
EN_PROPOSALS = (
    "Build {a} {t} into the app, reusing the identity check we already have.",
    "Start with a pilot in one city, measure the calls it saves, then roll it out across the region.",
    "Give {who} one simple page that shows where {t} stands, as it happens.",
    "Let the network tell us before customers do: the alarms we already collect can trigger {t}.",
    "Partner with two device makers so that {t} works out of the box on new phones.",
    "Publish an API for {t} so partners and enterprise customers can build on it.",
    "Train a small model on past tickets to suggest the next step of {t} to agents.",
    "Make {t} a two-minute flow with a progress bar and a human a tap away.",
)
EN_OUTCOMES = (
    "If it works, we cut handling time and raise satisfaction scores at the same time.",
    "It would also give partners a clean interface to build on.",
    "- fewer calls to the helpdesk\n- faster fixes\n- happier customers",
    "The savings in the call centre alone would pay for the pilot within a year.",
    "It is a small change with a visible effect, exactly what a jam should ship.",
    "",
)

ZH_ADJECTIVES = ("自助", "AI 輔助", "一鍵", "智慧", "即時", "主動", "無紙化", "自動化", "個人化", "透明化")
ZH_CONTEXTS = ("", "", "，服務偏鄉用戶", "，給中小企業", "，用於大型活動", "，照顧長輩", "（在 App 內完成）",
               "，支援出國旅客", "，兩分鐘完成", "，不必打客服電話", "，給企業車隊")
ZH_WHO = ("客戶", "中小企業", "技師", "門市同仁", "合作夥伴", "家庭用戶", "旅客", "學生")
ZH_VERBS = ("即時追蹤", "自行管理", "線上完成", "一次搞定")
ZH_BENEFITS = ("告別帳單驚嚇", "客服來電減半", "更快回應每位客戶", "更環保的網路", "減少派工次數",
               "一個 App 搞定", "零紙本作業")
ZH_PROBLEMS = (
    "現在{t}的流程太繁瑣，{who}在問卷裡一再反映。",
    "上一季統計，客服中心每五通電話就有一通和{t}有關。",
    "競爭對手已經提供更好的{t}，我們還要客戶跑門市。",
    "{who}每個月在{t}上花掉好幾個小時，很多人做到一半就放棄。",
    "{t}出問題時，{who}往往最後才知道，而且是從社群媒體上看到的。",
)
ZH_PROPOSALS = (
    "建議把{a}{t}做進 App，沿用現有的身分驗證。",
    "先在一個城市試辦，量測省下多少客服來電，再推廣到全區。",
    "給{who}一個簡單的頁面，即時顯示{t}的進度。",
    "讓網路比客戶先發現問題：用現有的告警資料自動觸發{t}。",
    "開放{t}的 API，讓合作夥伴和企業客戶可以串接。",
)
ZH_OUTCOMES = (
    "如果成功，可以同時縮短處理時間、提高滿意度。",
    "這也讓合作夥伴有一個清楚的介面可以串接。",
    "- 更少客服來電\n- 更快修復\n- 更滿意的客戶",
    "光是客服中心省下的成本，一年內就能回收試辦費用。",
    "",
)

EN_OPENERS = ("Love this.", "+1 from the Taipei team.", "Great idea!", "We tried something similar in 2024.",
              "Interesting, but", "Agree with the comments above.", "As a customer: yes please.",
              "Small concern:", "Building on this:", "", "", "Quick question:", "Strong support from Retail.")
EN_POINTS = ("how would this work for prepaid customers?", "the identity check is the hard part; Legal will "
             "want a say.", "we could reuse the chatbot platform for this.", "this would cut our call volume "
             "a lot.", "the network data is already there, we just need an API.", "please include older "
             "customers in the pilot.", "what about customers without a smartphone?", "happy to help with a "
             "pilot in our region.", "this fits the 5G roadmap nicely.", "cost might be an issue, but the "
             "savings look bigger.", "partners could build on this too.", "it has to work when the network "
             "is down, too.", "store staff would need a short training.", "let's measure first-contact "
             "resolution before and after.", "privacy review early, please.", "our enterprise customers ask "
             "for exactly this.")
EN_CLOSERS = ("", "", "", " Count me in.", " Happy to help test it.", " Voted up.")
ZH_OPENERS = ("好點子！", "+1", "非常支持。", "我們門市也遇過同樣的問題。", "補充一點：", "同意樓上。", "", "",
              "有個疑問：", "身為客戶，很需要這個。")
ZH_POINTS = ("預付卡用戶要怎麼處理？", "身分驗證是最難的部分，需要法務一起看。", "可以沿用現有的客服機器人平台。",
             "這能大幅減少客服來電。", "網路資料已經有了，只差一個 API。", "試辦時請納入長輩用戶。",
             "沒有智慧型手機的客戶怎麼辦？", "我們這區很樂意協助試辦。", "和 5G 藍圖很契合。",
             "成本可能是問題，但省下的更多。", "合作夥伴也可以一起加入。", "門市同仁需要一點教育訓練。")
ZH_CLOSERS = ("", "", "算我一份。", "願意幫忙測試。")

HIDE_REASONS = ("Off-topic: this is a support request; please contact customer care.",
                "Contains personal contact details.", "Posted several times; the other copy stays.",
                "Not in line with the campaign's code of conduct.")
STATUS_NOTES = {
    IdeaStatus.UNDER_REVIEW: ("", "", "The product team is looking at this.", "產品團隊正在評估。"),
    IdeaStatus.SHORTLISTED: ("", "Shortlisted for the executive review.", "進入決選名單。"),
    IdeaStatus.SELECTED: ("Selected: funded for a pilot next quarter.", "獲選，下一季試辦。"),
    IdeaStatus.IN_PROGRESS: ("", "The pilot team has started.", "試辦團隊已經開工。"),
    IdeaStatus.IMPLEMENTED: ("Live in the app since this week.", "本週已在 App 上線。"),
    IdeaStatus.DECLINED: ("Thanks! This overlaps with work already in delivery.",
                          "Not feasible with the current billing platform; we will revisit it next year.",
                          "謝謝提案！這和進行中的專案重疊。"),
}
PIPELINE = (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED, IdeaStatus.SELECTED,
            IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED)


@dataclass
class _CampaignPlan:
    key: str
    title: str
    question: str
    description: str
    start: int  # ms since the epoch
    end: int
    created: int
    kinds: tuple
    is_private: bool
    idea_share: float
    # (final status, share of the campaign's ideas), for the few the moderators moved.
    moves: tuple
    surge: object = None  # hours since the start -> extra activity
    id: int = 0
    slug: str = ""
    limit: int = 0  # activity stops here: the end, or now
    pool: np.ndarray = None  # indices of the participants in its audience
    ideas: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))


CAMPAIGN_TEXT = {
    "main": ("Innovation Jam 2026: Connected Customers",
             "How could we make every customer's connection simpler, faster and fairer?",
             "Seventy-two hours, everyone invited: staff, partners and customers.\n\n"
             "- **Post** an idea, however rough\n- **Build** on others' ideas in the comments\n"
             "- **Vote** for the ones you would fund\n\n"
             "七十二小時，所有人都能參加：員工、合作夥伴和客戶。提出點子、留言補充、投票支持。"),
    "partner": ("Partner Ecosystem Jam",
                "What could we build with our partners that neither of us could build alone?",
                "A three-day jam for staff and partners: shared APIs, joint offers and better hand-offs.\n\n"
                "三天的員工與合作夥伴共創活動。"),
    "ops": ("Network Operations Quick Wins",
            "Which small change would make our network more reliable next month?",
            "A week for staff only: ideas the operations teams can ship within a month."),
}


def _utc(ms) -> datetime:
    return EPOCH + timedelta(milliseconds=int(ms))


class _Times:
    """A column of times (ms since the epoch; negative for none) as aware datetimes, in slices."""

    def __init__(self, ms):
        self.ms = np.asarray(ms, dtype=np.int64)

    def __len__(self):
        return len(self.ms)

    def slice(self, start, stop):
        return [None if m < 0 else EPOCH + timedelta(milliseconds=m) for m in self.ms[start:stop].tolist()]


def _column(values, start, stop):
    if isinstance(values, _Times):
        return values.slice(start, stop)
    if isinstance(values, np.ndarray):
        return values[start:stop].tolist()
    if isinstance(values, list):
        return values[start:stop]
    return [values] * (stop - start)  # a constant


def _ascii_slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", ".", text).strip(".")


_CJK_LATIN = re.compile(r"(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u3400-\u9fff])")


def _zh_join(*parts):
    """Traditional Chinese with a space between Chinese and Latin script, as people type it."""
    return _CJK_LATIN.sub(" ", "".join(parts))


def _weighted(rng, pairs, size):
    names = [name for name, _w in pairs]
    weights = np.array([w for _n, w in pairs], dtype=float)
    return [names[i] for i in rng.choice(len(names), size=size, p=weights / weights.sum())]


def _logaddexp_by_group(keys, values):
    """log(sum(exp(values))) per key, adding in order (keys sorted, values in time order)."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.logaddexp.reduceat(values, starts)


def _pace_violations(author, at, allowance, window):
    """Indices of posts a pace limit would have refused: the author already had ``allowance``
    posts in the ``window`` before (sorted by author, then time)."""
    if len(author) <= allowance:
        return np.empty(0, np.int64)
    order = np.lexsort((at, author))
    a, t = author[order], at[order]
    bad = (a[allowance:] == a[:-allowance]) & (t[allowance:] - t[:-allowance] <= window)
    return order[allowance:][bad]


class _Seeder:
    def __init__(self, spec, echo):
        self.spec, self.echo = spec, echo
        self.rng = np.random.default_rng(spec.seed)
        self.stages = []
        self.counts = {}
        self.render_cache = {}

    # --- driver ------------------------------------------------------------------------------

    def run(self):
        started = time.perf_counter()
        self._check()
        now = utcnow()
        self.now = int(now.timestamp() * 1000)
        self.limit_now = self.now - MINUTE
        self.timescale = current_app.config["TRENDING_TIMESCALE_HOURS"]
        self._stage("people", self._people)
        self._stage("campaigns and tags", self._campaigns)
        self._stage("activity rhythm", self._rhythm)
        self._stage("ideas", self._ideas)
        self._stage("votes", self._votes)
        self._stage("comments", self._comments)
        self._stage("moderation", self._moderation)
        self._stage("counters", self._counters)
        self._write()
        self._stage("id sequences", self._advance_sequences)
        self._stage("best scores", self._best_scores)
        self._stage("dashboard tallies", lambda: activity.rebuild_activity(db.session))
        self._stage("checkpoint", self._checkpoint)
        seconds = time.perf_counter() - started
        hot = int(self.idea_ids[self.hot_idea]) if self.hot_idea is not None else None
        campaigns = [(plan.id, plan.slug, plan.title, int(self.published_per_campaign.get(plan.key, 0)))
                     for plan in self.plans]
        logins = [(label, scale_email(local)) for label, local, *_ in ROLE_LOGINS]
        return ScaleSummary(counts=self.counts, stages=self.stages, seconds=seconds, hot_idea_id=hot,
                            hot_comments=self.spec.hot if hot else 0, campaigns=campaigns, logins=logins)

    def _stage(self, name, work):
        started = time.perf_counter()
        detail = work()
        seconds = time.perf_counter() - started
        self.stages.append((name, seconds))
        self.echo(f"  {name}: {seconds:.1f} s" + (f" ({detail})" if detail else ""))

    def _check(self):
        spec = self.spec
        if spec.ideas < 1:
            raise ScaleSeedRefused("A jam needs at least one idea.")
        if spec.people < MIN_PEOPLE:
            raise ScaleSeedRefused(f"A jam needs at least {MIN_PEOPLE} people.")
        if min(spec.ideas, spec.votes, spec.comments, spec.hot_comments) < 0:
            raise ScaleSeedRefused("Sizes cannot be negative.")
        if db.session.scalar(select(func.count()).select_from(Idea)):
            raise ScaleSeedRefused("This database already has ideas: seed-scale only fills an empty, "
                                   "migrated database (flask db upgrade on a new file).")
        taken = db.session.scalar(select(func.count()).select_from(User)
                                  .where(User.email.like(f"%@%{SCALE_DOMAIN}")))
        if taken:
            raise ScaleSeedRefused(f"This database already has {SCALE_DOMAIN} accounts.")

        def next_id(model):
            return (db.session.scalar(select(func.max(model.id))) or 0) + 1

        self.first_user_id, self.first_campaign_id = next_id(User), next_id(Campaign)
        self.first_idea_id, self.first_comment_id = next_id(Idea), next_id(Comment)
        self.first_tag_id = next_id(Tag)
        self.existing_tags = dict(db.session.execute(select(Tag.name, Tag.id)).tuples().all())
        db.session.rollback()

    # --- people ------------------------------------------------------------------------------

    def _people(self):
        rng, spec = self.rng, self.spec
        n = spec.people - len(ROLE_LOGINS)
        self.n_people = n
        kind = rng.choice(3, size=n, p=[0.6, 0.2, 0.2])
        weights = np.array([w for _c, w, _p, _z in COUNTRIES], dtype=float)
        country = rng.choice(len(COUNTRIES), size=n, p=weights / weights.sum())
        every = min(n, len(COUNTRIES))  # every country has somebody
        country[rng.choice(n, size=every, replace=False)] = rng.permutation(len(COUNTRIES))[:every]
        zone_names = [zone for _c, _w, _p, zones in COUNTRIES for zone in zones]
        zone_first = np.cumsum([0] + [len(zones) for *_rest, zones in COUNTRIES])[:-1]
        zone_count = np.array([len(zones) for *_rest, zones in COUNTRIES])
        zone = zone_first[country] + (rng.random(n) * zone_count[country]).astype(np.int64)
        moment = _utc(self.now)
        offsets = np.array([int(ZoneInfo(z).utcoffset(moment.replace(tzinfo=None)).total_seconds() // 60)
                            for z in zone_names])
        self.offsets, offset_index = np.unique(offsets, return_inverse=True)
        self.person_offset = offset_index[zone]
        chinese_country = np.isin(country, [i for i, c in enumerate(COUNTRIES) if c[0] in ("TW", "HK", "MO")])
        mainland = country == [i for i, c in enumerate(COUNTRIES) if c[0] == "CN"][0]
        roll = rng.random(n)
        zh = np.where(chinese_country, roll < 0.85, np.where(mainland, roll < 0.35, roll < 0.02))
        no_locale = rng.random(n) < 0.03
        self.person_zh = zh & ~no_locale
        locale = np.where(no_locale, None, np.where(zh, "zh_Hant", "en"))
        departments = {0: _weighted(rng, STAFF_DEPARTMENTS, n), 1: _weighted(rng, PARTNER_DEPARTMENTS, n),
                       2: _weighted(rng, CUSTOMER_DEPARTMENTS, n)}
        says_department = np.where(kind == 2, rng.random(n) < 0.15, rng.random(n) < 0.97)
        first_pick, last_pick, given_pick = rng.integers(0, 1 << 30, size=(3, n))
        names, emails, depts = [], [], []
        user_id = self.first_user_id + len(ROLE_LOGINS)
        domains = (f"staff.{SCALE_DOMAIN}", f"partners.{SCALE_DOMAIN}", f"customers.{SCALE_DOMAIN}")
        for i in range(n):
            code, _w, pool, _z = COUNTRIES[country[i]]
            if pool == "zh" and (zh[i] or first_pick[i] % 10 < 4):
                name = ZH_SURNAMES[last_pick[i] % len(ZH_SURNAMES)] + ZH_GIVEN[given_pick[i] % len(ZH_GIVEN)]
                local = "member"
            else:
                firsts, lasts = NAMES[pool]
                first, last = firsts[first_pick[i] % len(firsts)], lasts[last_pick[i] % len(lasts)]
                name = f"{first} {last}"
                local = _ascii_slug(name)
            names.append(name)
            emails.append(f"{local}.{user_id + i}@{domains[kind[i]]}")
            depts.append(departments[kind[i]][i] if says_department[i] else None)
        self.person_kind = kind
        self.people = {
            "display_name": names, "email": emails, "kind": [KINDS[k] for k in kind.tolist()],
            "department": depts, "country": [COUNTRIES[c][0] for c in country.tolist()],
            "locale": locale.tolist(), "timezone": [zone_names[z] for z in zone.tolist()],
        }
        # How much each person takes part: many read only, a few do a great deal.
        def appetite(sigma, share_active, cap):
            w = np.minimum(rng.lognormal(0.0, sigma, n), cap)
            return np.where(rng.random(n) < share_active, w, 0.0)

        kind_bias = np.array([1.3, 1.1, 0.7])[kind]
        self.author_weight = appetite(1.1, 0.35, 30.0) * kind_bias
        self.vote_weight = appetite(1.25, 0.78, 100.0)
        self.talk_weight = appetite(1.3, 0.45, 60.0)
        self.person_ids = np.arange(n, dtype=np.int64) + user_id
        self.counts["users"] = spec.people
        return f"{spec.people:,} people in {len(set(self.people['country'])):,} countries"

    # --- campaigns ---------------------------------------------------------------------------

    def _campaigns(self):
        hour = self.now - self.now % HOUR
        main_start = hour - 60 * HOUR
        ops_start = main_start - 14 * DAY
        plans = [
            _CampaignPlan("main", *CAMPAIGN_TEXT["main"], start=main_start, end=main_start + 72 * HOUR,
                          created=main_start - 21 * DAY, kinds=KINDS, is_private=False, idea_share=0.85,
                          moves=((IdeaStatus.UNDER_REVIEW, 0.018), (IdeaStatus.SHORTLISTED, 0.008),
                                 (IdeaStatus.DECLINED, 0.005)),
                          surge=lambda h: 1 + 2.5 * np.exp(-h / 8) + 1.2 * np.exp(-(((h - 30) / 1.5) ** 2))),
            _CampaignPlan("partner", *CAMPAIGN_TEXT["partner"], start=main_start + 24 * HOUR,
                          end=main_start + 96 * HOUR, created=main_start - 10 * DAY, kinds=(STAFF, PARTNER),
                          is_private=False, idea_share=0.09,
                          moves=((IdeaStatus.UNDER_REVIEW, 0.015), (IdeaStatus.DECLINED, 0.003)),
                          surge=lambda h: 1 + 1.5 * np.exp(-h / 6)),
            _CampaignPlan("ops", *CAMPAIGN_TEXT["ops"], start=ops_start, end=ops_start + 7 * DAY,
                          created=ops_start - 7 * DAY, kinds=(STAFF,), is_private=True, idea_share=0.06,
                          moves=((IdeaStatus.UNDER_REVIEW, 0.04), (IdeaStatus.SHORTLISTED, 0.04),
                                 (IdeaStatus.SELECTED, 0.05), (IdeaStatus.IN_PROGRESS, 0.05),
                                 (IdeaStatus.IMPLEMENTED, 0.03), (IdeaStatus.DECLINED, 0.04)),
                          surge=lambda h: 1 + 1.0 * np.exp(-h / 12) + 0.8 * np.exp(-(168 - h) / 10)),
        ]
        slugs = set()
        for index, plan in enumerate(plans):
            plan.id = self.first_campaign_id + index
            plan.slug = campaign_rules._unique_slug(plan.title)
            if plan.slug in slugs:
                plan.slug = f"{plan.slug}-{index + 2}"
            slugs.add(plan.slug)
            plan.limit = min(plan.end, self.limit_now)
            kinds = [KINDS.index(k) for k in plan.kinds]
            plan.pool = np.flatnonzero(np.isin(self.person_kind, kinds))
        self.plans = plans
        db.session.rollback()
        # Tags: the topics' own, a few in Chinese.
        names = []
        for _en, _zh, tags in TOPICS:
            names += [t for t in tags if t not in names]
        names += [t for t in EXTRA_TAGS if t not in names]
        names += [t for t in CHINESE_TAGS.values() if t not in names]
        self.tag_ids, new_tags = {}, []
        for name in names:
            if name in self.existing_tags:
                self.tag_ids[name] = self.existing_tags[name]
            else:
                self.tag_ids[name] = self.first_tag_id + len(new_tags)
                new_tags.append(name)
        self.new_tags = new_tags
        self.counts["campaigns"] = len(plans)
        self.counts["tags"] = len(names)
        return f"{len(plans)} campaigns, {len(names)} tags"

    # --- when people are active --------------------------------------------------------------

    def _rhythm(self):
        """Per campaign and UTC offset, how busy each minute is: people's working day in their
        time zone times the campaign's surges; zero outside the campaign."""
        self.origin = min(plan.start for plan in self.plans)
        self.n_minutes = (self.now - self.origin) // MINUTE + 2
        minutes = np.arange(self.n_minutes)
        day = np.array([0.10, 0.06, 0.04, 0.03, 0.03, 0.05, 0.15, 0.35, 0.65, 0.90, 1.00, 0.95,
                        0.70, 0.85, 0.95, 0.90, 0.80, 0.60, 0.45, 0.50, 0.60, 0.55, 0.40, 0.20])
        utc_minute = (self.origin // MINUTE + minutes) % 1440
        shape = (len(self.plans), len(self.offsets), self.n_minutes)
        self.busy = np.zeros(shape, dtype=np.float32)
        for c, plan in enumerate(self.plans):
            lo = (plan.start - self.origin) // MINUTE
            hi = (plan.limit - self.origin) // MINUTE
            hours = (minutes[lo:hi] - lo) / 60
            surge = plan.surge(hours)
            for o, offset in enumerate(self.offsets):
                local = (utc_minute[lo:hi] + offset) % 1440 / 60
                self.busy[c, o, lo:hi] = np.interp(local, np.arange(25), np.r_[day, day[0]]) * surge
            peak = self.busy[c].max()
            if peak > 0:
                self.busy[c] /= peak
        return f"{self.n_minutes:,} minutes, {len(self.offsets)} UTC offsets"

    def _sample_times(self, c, people, until):
        """Times in campaign ``c`` (before ``until``) following each person's day."""
        out = np.empty(len(people), np.int64)
        offsets = self.person_offset[people]
        plan = self.plans[c]
        lo = (plan.start - self.origin) // MINUTE
        hi = max(lo + 1, (until - self.origin) // MINUTE)
        for o in np.unique(offsets):
            chosen = np.flatnonzero(offsets == o)
            cdf = np.cumsum(self.busy[c, o, lo:hi], dtype=np.float64)
            cdf /= cdf[-1]
            minute = lo + np.searchsorted(cdf, self.rng.random(len(chosen)), side="right")
            minute = np.minimum(minute, hi - 1)
            out[chosen] = self.origin + minute * MINUTE + self.rng.integers(0, MINUTE, len(chosen))
        return np.clip(out, plan.start, until - 1)

    def _after(self, start, camp, people, limit, mix):
        """A time after each ``start`` (at least a second later, before ``limit``) for acts that
        follow a post: a delay drawn from ``mix`` [(share, mean hours)], kept with the odds of
        the actor being busy then, so activity follows everyone's day."""
        rng = self.rng
        n = len(start)
        out = np.empty(n, np.int64)
        offsets = self.person_offset[people]
        shares = np.array([s for s, _m in mix])
        means = np.array([m for _s, m in mix]) * HOUR
        todo = np.arange(n)
        for _ in range(60):
            if not todo.size:
                break
            which = rng.choice(len(mix), size=todo.size, p=shares / shares.sum())
            t = start[todo] + 1000 + rng.exponential(means[which]).astype(np.int64)
            minute = np.clip((t - self.origin) // MINUTE, 0, self.n_minutes - 1)
            keep = (t < limit[todo]) & (rng.random(todo.size) < self.busy[camp[todo], offsets[todo], minute])
            out[todo[keep]] = t[keep]
            todo = todo[~keep]
        if todo.size:  # rare: late posts in quiet hours; anywhere in what is left
            lo, hi = start[todo] + 1000, limit[todo]
            out[todo] = lo + (rng.random(todo.size) * np.maximum(1, hi - lo)).astype(np.int64)
        return out

    def _pick(self, pool, weights, size):
        """People from ``pool`` by their ``weights`` (with replacement)."""
        w = weights[pool]
        total = w.sum()
        p = w / total if total > 0 else None
        return pool[self.rng.choice(len(pool), size=size, p=p)]

    # --- ideas -------------------------------------------------------------------------------

    def _ideas(self):
        rng, spec = self.rng, self.spec
        n = spec.ideas
        share = np.array([plan.idea_share for plan in self.plans])
        per_campaign = np.floor(share / share.sum() * n).astype(int)
        per_campaign[0] += n - per_campaign.sum()
        camp = np.repeat(np.arange(len(self.plans)), per_campaign)
        author = np.empty(n, np.int64)
        at = np.empty(n, np.int64)
        # Ideas come in until ten minutes before the end, so every idea can still be voted on.
        until = np.array([plan.limit - 10 * MINUTE for plan in self.plans])

        def place(chosen):
            for c in np.unique(camp[chosen]):
                these = chosen[camp[chosen] == c]
                author[these] = self._pick(self.plans[c].pool, self.author_weight, len(these))
                at[these] = self._sample_times(c, author[these], until[c])

        place(np.arange(n))
        for _ in range(200):
            refused = _pace_violations(author, at, IDEA_ALLOWANCE, limits.IDEAS.window // timedelta(milliseconds=1))
            if not refused.size:
                break
            place(refused)
        else:
            raise RuntimeError("could not keep the ideas within the pace limit")
        order = np.lexsort((author, at))
        self.idea_camp, self.idea_author, self.idea_at = camp[order], author[order], at[order]
        self.idea_ids = np.arange(n, dtype=np.int64) + self.first_idea_id
        for c, plan in enumerate(self.plans):
            plan.ideas = np.flatnonzero(self.idea_camp == c)
        # Words: the author's language, mostly.
        zh = np.where(self.person_zh[self.idea_author], rng.random(n) < 0.9, rng.random(n) < 0.03)
        self.idea_zh = zh
        topic = rng.integers(0, len(TOPICS), n)
        picks = rng.integers(0, 1 << 30, size=(8, n))
        n_tags = rng.choice(4, size=n, p=[0.15, 0.35, 0.3, 0.2])
        titles, bodies, tags = [], [], []
        for i in range(n):
            title, body = (self._chinese_idea if zh[i] else self._english_idea)(topic[i], picks[:, i])
            titles.append(title)
            bodies.append(body)
            own = list(TOPICS[topic[i]][2])
            chosen = []
            for k in range(n_tags[i]):
                pool = own if picks[k, i] % 4 else list(EXTRA_TAGS)
                name = pool[picks[k + 3, i] % len(pool)]
                if zh[i] and name in CHINESE_TAGS and picks[7, i] % 2:
                    name = CHINESE_TAGS[name]
                if name not in chosen:
                    chosen.append(name)
            tags.append(chosen)
        self.idea_title, self.idea_body, self.idea_tags = titles, bodies, tags
        self.idea_html = [render_markdown(body) for body in bodies]
        self.counts["ideas"] = n
        return f"{n:,} ideas, {int(zh.sum()):,} in Chinese"

    @staticmethod
    def _english_idea(topic, pick):
        text = TOPICS[topic][0]
        adjective = EN_ADJECTIVES[pick[0] % len(EN_ADJECTIVES)]
        who = EN_WHO[pick[1] % len(EN_WHO)]
        form = pick[2] % 10
        if form < 6:
            title = f"{adjective} {text}{EN_CONTEXTS[pick[3] % len(EN_CONTEXTS)]}"
        elif form < 8:
            title = f"Let {who} {EN_VERBS[pick[3] % len(EN_VERBS)].format(t=text)}"
        else:
            title = f"{text[0].upper()}{text[1:]}: {EN_BENEFITS[pick[3] % len(EN_BENEFITS)]}"
        fill = {"t": text, "who": who, "Who": who[0].upper() + who[1:], "a": adjective.lower()}
        paragraphs = [EN_PROBLEMS[pick[4] % len(EN_PROBLEMS)].format(**fill),
                      EN_PROPOSALS[pick[5] % len(EN_PROPOSALS)].format(**fill),
                      EN_OUTCOMES[pick[6] % len(EN_OUTCOMES)]]
        return title, "\n\n".join(p for p in paragraphs if p)

    @staticmethod
    def _chinese_idea(topic, pick):
        text = TOPICS[topic][1]
        adjective = ZH_ADJECTIVES[pick[0] % len(ZH_ADJECTIVES)]
        who = ZH_WHO[pick[1] % len(ZH_WHO)]
        form = pick[2] % 10
        if form < 6:
            title = _zh_join(adjective, text, ZH_CONTEXTS[pick[3] % len(ZH_CONTEXTS)])
        elif form < 8:
            title = _zh_join("讓", who, ZH_VERBS[pick[3] % len(ZH_VERBS)], text)
        else:
            title = _zh_join(text, "：", ZH_BENEFITS[pick[3] % len(ZH_BENEFITS)])
        paragraphs = [ZH_PROBLEMS[pick[4] % len(ZH_PROBLEMS)].format(t=text, who=who),
                      ZH_PROPOSALS[pick[5] % len(ZH_PROPOSALS)].format(t=text, who=who, a=adjective),
                      ZH_OUTCOMES[pick[6] % len(ZH_OUTCOMES)]]
        return title, "\n\n".join(_zh_join(p) for p in paragraphs if p)

    # --- votes -------------------------------------------------------------------------------

    def _shares(self, total, weights, caps):
        """``total`` split over items by ``weights``, none above its cap (what a cap cuts goes to
        the others, by weight); less than ``total`` only if the caps leave no room."""
        counts = self.rng.multinomial(total, weights / weights.sum()) if total and weights.sum() > 0 \
            else np.zeros(len(weights), np.int64)
        for _ in range(100):
            excess = int(np.maximum(counts - caps, 0).sum())
            counts = np.minimum(counts, caps)
            room = (counts < caps) & (weights > 0)
            if not excess or not room.any():
                break
            w = np.where(room, weights, 0.0)
            counts += self.rng.multinomial(excess, w / w.sum())
        return np.minimum(counts, caps)

    def _popularity(self, plan):
        """How much attention each idea of a campaign draws: a Zipf-Mandelbrot rank (the top
        1 % of ideas draw about half the votes), some luck, and the time it has been up."""
        rng = self.rng
        n = len(plan.ideas)
        rank = rng.permutation(n) + 1
        age = (plan.limit - self.idea_at[plan.ideas]) / max(1, plan.limit - plan.start)
        return (rank + 5.0) ** -1.0 * rng.lognormal(0, 0.4, n) * np.clip(age, 0.002, 1) ** 0.8

    def _votes(self):
        rng, spec = self.rng, self.spec
        sizes = np.array([len(plan.ideas) for plan in self.plans], dtype=float)
        per_campaign = np.floor(sizes / max(1, sizes.sum()) * spec.votes).astype(int)
        per_campaign[np.argmax(sizes)] += spec.votes - per_campaign.sum()
        self.popularity = np.zeros(spec.ideas)
        self.idea_quality = rng.beta(8.5, 1.5, spec.ideas)  # the chance a vote is up
        idea_parts, voter_parts = [], []
        for c, plan in enumerate(self.plans):
            if not len(plan.ideas):
                continue
            popularity = self._popularity(plan)
            self.popularity[plan.ideas] = popularity
            pool_size = len(plan.pool)
            cap = max(1, min(pool_size - 1, math.ceil(0.025 * per_campaign[c]) + 20))
            wanted = self._shares(int(per_campaign[c]), popularity, np.full(len(plan.ideas), cap))
            ideas, voters = self._distinct_voters(plan, wanted)
            idea_parts.append(ideas)
            voter_parts.append(voters)
        idea = np.concatenate(idea_parts) if idea_parts else np.empty(0, np.int64)
        voter = np.concatenate(voter_parts) if voter_parts else np.empty(0, np.int64)
        camp = self.idea_camp[idea]
        limit = np.array([plan.limit for plan in self.plans])[camp]
        at = self._after(self.idea_at[idea], camp, voter, limit,
                         [(0.55, 2.5), (0.35, 12.0), (0.10, 36.0)])
        value = np.where(rng.random(len(idea)) < self.idea_quality[idea], 1, -1)
        order = np.argsort(at, kind="stable")
        self.vote_idea, self.vote_voter, self.vote_at, self.vote_value = \
            idea[order], voter[order], at[order], value[order]
        self.counts["votes"] = len(idea)
        up = int((self.vote_value == 1).sum())
        return f"{len(idea):,} votes, {100 * up / max(1, len(idea)):.0f} % up"

    def _distinct_voters(self, plan, wanted):
        """(idea, voter) pairs: ``wanted[i]`` different voters for the campaign's i-th idea, never
        its author, drawn by appetite for voting."""
        rng = self.rng
        ideas = plan.ideas
        authors = self.idea_author[ideas]
        stride = np.int64(self.n_people + 1)
        have = np.zeros(len(ideas), np.int64)
        keys = np.empty(0, np.int64)
        for _ in range(40):
            need = wanted - have
            if not need.sum():
                break
            slot = np.repeat(np.arange(len(ideas)), need)
            voter = self._pick(plan.pool, self.vote_weight, len(slot))
            fresh = voter != authors[slot]
            new = np.unique(slot[fresh] * stride + voter[fresh])
            new = new[~np.isin(new, keys, assume_unique=True)]
            keys = np.union1d(keys, new)
            have = np.bincount(keys // stride, minlength=len(ideas))
        short = np.flatnonzero(wanted > have)
        extra = []
        for i in short:  # the most voted ideas of a small crowd: everyone left, at random
            taken = set((keys[keys // stride == i] % stride).tolist()) | {int(authors[i])}
            left = np.array([p for p in plan.pool.tolist() if p not in taken], np.int64)
            more = rng.choice(left, size=min(len(left), int(wanted[i] - have[i])), replace=False)
            extra.append(i * stride + more)
        if extra:
            keys = np.union1d(keys, np.concatenate(extra))
        return ideas[keys // stride], keys % stride

    # --- comments ----------------------------------------------------------------------------

    def _comments(self):
        rng, spec = self.rng, self.spec
        hot = spec.hot
        sizes = np.array([len(plan.ideas) for plan in self.plans], dtype=float)
        per_campaign = np.floor(sizes / max(1, sizes.sum()) * spec.comments).astype(int)
        big = int(np.argmax(sizes))
        per_campaign[big] += spec.comments - per_campaign.sum()
        votes_per_idea = np.bincount(self.vote_idea, minlength=spec.ideas)
        self.hot_idea = None
        if hot and len(self.plans[big].ideas):
            # The most voted idea of the big jam that was up for at least half of it.
            plan = self.plans[big]
            old = plan.ideas[self.idea_at[plan.ideas] <= plan.start + (plan.limit - plan.start) // 2]
            candidates = old if len(old) else plan.ideas
            self.hot_idea = int(candidates[np.argmax(votes_per_idea[candidates])])
        idea_parts = []
        for c, plan in enumerate(self.plans):
            if not len(plan.ideas):
                continue
            total = int(per_campaign[c])
            weights = ((votes_per_idea[plan.ideas] + 1) ** 0.75 * rng.lognormal(0, 0.6, len(plan.ideas))
                       * np.clip((plan.limit - self.idea_at[plan.ideas]) / (plan.limit - plan.start), 0.002, 1))
            caps = np.full(len(plan.ideas), max(1, hot - 1) if hot else total)
            if self.hot_idea is not None and c == big:
                position = int(np.flatnonzero(plan.ideas == self.hot_idea)[0])
                weights[position], caps[position] = 0.0, 0
                total -= hot
                idea_parts.append(np.full(hot, self.hot_idea, np.int64))
            counts = self._shares(total, weights, caps)
            idea_parts.append(np.repeat(plan.ideas, counts))
        idea = np.concatenate(idea_parts) if idea_parts else np.empty(0, np.int64)
        n = len(idea)
        camp = self.idea_camp[idea]
        limit = np.array([plan.limit for plan in self.plans])[camp]
        mix = [(0.65, 1.5), (0.30, 8.0), (0.05, 30.0)]
        author = np.empty(n, np.int64)
        at = np.empty(n, np.int64)

        def place(chosen):
            # About one comment in nine is the idea's author answering.
            own = rng.random(len(chosen)) < 0.11
            for c in np.unique(camp[chosen]):
                these = chosen[(camp[chosen] == c) & ~own]
                author[these] = self._pick(self.plans[c].pool, self.talk_weight, len(these))
            author[chosen[own]] = self.idea_author[idea[chosen[own]]]
            at[chosen] = self._after(self.idea_at[idea[chosen]], camp[chosen], author[chosen], limit[chosen], mix)

        place(np.arange(n))
        window = limits.COMMENTS.window // timedelta(milliseconds=1)
        for _ in range(200):
            refused = _pace_violations(author, at, COMMENT_ALLOWANCE, window)
            if not refused.size:
                break
            place(refused)
        else:
            raise RuntimeError("could not keep the comments within the pace limit")
        order = np.lexsort((author, at))
        idea, author, at = idea[order], author[order], at[order]
        # Threads one level deep: a reply answers an earlier top-level comment of the same idea.
        parent = np.full(n, -1, np.int64)
        reply_roll = rng.random(n)
        pick = rng.integers(0, 1 << 30, n)
        own = author == self.idea_author[idea]
        by_idea = np.lexsort((np.arange(n), idea))
        tops, current = [], -1
        for j in by_idea.tolist():
            if idea[j] != current:
                current, tops = idea[j], []
            if tops and reply_roll[j] < (0.6 if own[j] else 0.28):
                p = tops[pick[j] % len(tops)]
                if at[p] < at[j]:
                    parent[j] = p
                    continue
            tops.append(j)
        # A few deleted by their authors while the campaign was open, a few hidden by the
        # moderator (never on the hot idea).
        ordinary = idea != (self.hot_idea if self.hot_idea is not None else -1)
        limit = np.array([plan.limit for plan in self.plans])[self.idea_camp[idea]]
        deleted_at = np.full(n, -1, np.int64)
        gone = ordinary & (rng.random(n) < 0.015)
        deleted_at[gone] = at[gone] + 1000 + rng.exponential(40 * MINUTE, int(gone.sum())).astype(np.int64)
        gone &= deleted_at < limit
        deleted_at[~gone] = -1
        hidden_at = np.full(n, -1, np.int64)
        hide = ordinary & ~gone & (rng.random(n) < 0.003)
        hidden_at[hide] = at[hide] + MINUTE + rng.exponential(3 * HOUR, int(hide.sum())).astype(np.int64)
        hide &= hidden_at < self.limit_now
        hidden_at[~hide] = -1
        self.comment_idea, self.comment_author, self.comment_at = idea, author, at
        self.comment_parent, self.comment_deleted_at, self.comment_hidden_at = parent, deleted_at, hidden_at
        self.comment_ids = np.arange(n, dtype=np.int64) + self.first_comment_id
        # Words, in the commenter's language mostly.
        zh = np.where(self.person_zh[author], rng.random(n) < 0.85, rng.random(n) < 0.03)
        words = rng.integers(0, 1 << 30, size=(3, n))
        bodies = []
        for j in range(n):
            a, b, c = words[:, j]
            if zh[j]:
                bodies.append(_zh_join(ZH_OPENERS[a % len(ZH_OPENERS)], ZH_POINTS[b % len(ZH_POINTS)],
                                       ZH_CLOSERS[c % len(ZH_CLOSERS)]))
            else:
                opener, point = EN_OPENERS[a % len(EN_OPENERS)], EN_POINTS[b % len(EN_POINTS)]
                if not opener or opener.endswith(":") or opener == "Interesting, but":
                    text = f"{opener} {point}".strip()
                else:
                    text = f"{opener} {point[0].upper()}{point[1:]}"
                bodies.append(text[0].upper() + text[1:] + EN_CLOSERS[c % len(EN_CLOSERS)])
        self.comment_body = bodies
        self.counts["comments"] = n
        replies = int((parent >= 0).sum())
        return (f"{n:,} comments, {replies:,} replies, {int(gone.sum())} deleted, {int(hide.sum())} hidden"
                + (f"; idea #{self.idea_ids[self.hot_idea]} has {hot}" if self.hot_idea is not None else ""))

    def _render(self, body):
        html = self.render_cache.get(body)
        if html is None:
            html = self.render_cache[body] = render_markdown(body)
        return html

    # --- moderation: the status pipeline and hidden ideas ------------------------------------

    def _moderation(self):
        rng = self.rng
        n = self.spec.ideas
        self.moderator_index, self.admin_index = 1, 0  # in ROLE_LOGINS
        self.status = np.zeros(n, np.int64)  # index into PIPELINE + (DECLINED)
        self.steps = []  # (at, idea, from, to, note, actor login index)
        self.audit = []  # (at, order, row)
        self.hidden_idea_at = np.full(n, -1, np.int64)
        self.hidden_idea_reason = {}
        moved = np.zeros(n, bool)
        votes_per_idea = np.bincount(self.vote_idea, minlength=n)
        for plan in self.plans:
            ideas = plan.ideas
            if not len(ideas):
                continue
            for final, share in plan.moves:
                k = min(len(ideas) - int(moved[ideas].sum()), int(round(share * len(ideas))))
                if k <= 0:
                    continue
                free = ideas[~moved[ideas]]
                # Moderators look at the ideas people vote for.
                w = votes_per_idea[free] + 1.0
                chosen = rng.choice(free, size=k, replace=False, p=w / w.sum())
                moved[chosen] = True
                for i in chosen.tolist():
                    self._move(i, final, plan)
        # A few ideas hidden, after everything that happened to them.
        last = self.idea_at.copy()
        np.maximum.at(last, self.vote_idea, self.vote_at)
        np.maximum.at(last, self.comment_idea, np.maximum(self.comment_at, np.maximum(
            self.comment_deleted_at, self.comment_hidden_at)))
        candidates = np.flatnonzero(~moved & (np.arange(n) != (self.hot_idea if self.hot_idea is not None else -1)))
        k = min(len(candidates), int(round(0.0025 * n)))
        for i in rng.choice(candidates, size=k, replace=False).tolist() if k else []:
            at = int(last[i] + 10 * MINUTE + rng.exponential(HOUR))
            if at >= self.limit_now:
                continue
            self.hidden_idea_at[i] = at
            self.hidden_idea_reason[i] = HIDE_REASONS[int(rng.integers(len(HIDE_REASONS)))]
        return (f"{int(moved.sum()):,} ideas moved along the pipeline, "
                f"{int((self.hidden_idea_at >= 0).sum())} ideas hidden")

    def _move(self, i, final, plan):
        rng = self.rng
        if final is IdeaStatus.DECLINED:
            path = list(PIPELINE[1:2 + int(rng.random() < 0.3)]) + [IdeaStatus.DECLINED]
        else:
            path = list(PIPELINE[1:PIPELINE.index(final) + 1])
        closed = plan.end <= self.now
        start = int(self.idea_at[i])
        gaps = [2 * HOUR + rng.exponential(10 * HOUR)]
        gaps += [HOUR + rng.exponential((48 if closed else 10) * HOUR) for _ in path[1:]]
        times = start + np.cumsum(gaps)
        if times[-1] >= self.limit_now:  # squeeze the history into the time there was
            times = start + (times - start) * ((self.limit_now - start) / (times[-1] - start + HOUR))
        times = times.astype(np.int64)
        before = IdeaStatus.SUBMITTED
        for status, at in zip(path, times.tolist()):
            notes = STATUS_NOTES[status]
            note = notes[int(rng.integers(len(notes)))]
            actor = self.moderator_index if rng.random() < 0.9 else self.admin_index
            self.steps.append((at, i, before, status, note, actor))
            before = status
        self.status[i] = len(PIPELINE) if final is IdeaStatus.DECLINED else PIPELINE.index(final)

    # --- counters ----------------------------------------------------------------------------

    def _counters(self):
        n = self.spec.ideas
        up = np.bincount(self.vote_idea, weights=self.vote_value == 1, minlength=n).astype(np.int64)
        down = np.bincount(self.vote_idea, weights=self.vote_value == -1, minlength=n).astype(np.int64)
        visible = (self.comment_deleted_at < 0) & (self.comment_hidden_at < 0)
        comments = np.bincount(self.comment_idea, weights=visible, minlength=n).astype(np.int64)
        self.up, self.down, self.comment_count = up, down, comments
        # Trending: the log of sum(weight * e^(t / timescale)) over the idea's posting, its up
        # votes and its comments (every comment bumps it once, when it is first published).
        ref = self.origin
        base = idea_rules.trending_increment(1.0, _utc(ref))
        per_ms = 1.0 / (HOUR * self.timescale)
        up_votes = self.vote_value == 1
        events_idea = np.concatenate([np.arange(n), self.vote_idea[up_votes], self.comment_idea])
        events_at = np.concatenate([self.idea_at, self.vote_at[up_votes], self.comment_at])
        weights = np.concatenate([np.full(n, idea_rules.WEIGHT_NEW_IDEA),
                                  np.full(int(up_votes.sum()), idea_rules.WEIGHT_UP_VOTE),
                                  np.full(len(self.comment_idea), idea_rules.WEIGHT_COMMENT)])
        value = base + (events_at - ref) * per_ms + np.log(weights)
        order = np.lexsort((events_at, events_idea))
        _keys, self.trending = _logaddexp_by_group(events_idea[order], value[order])
        published = self.hidden_idea_at < 0
        self.published_per_campaign = {plan.key: int(published[plan.ideas].sum()) for plan in self.plans}
        # When people registered: before they first took part; a quarter joined for the jam.
        rng = self.rng
        first = np.full(self.n_people, np.iinfo(np.int64).max)
        np.minimum.at(first, self.idea_author, self.idea_at)
        np.minimum.at(first, self.vote_voter, self.vote_at)
        np.minimum.at(first, self.comment_author, self.comment_at)
        active = first < np.iinfo(np.int64).max
        for_jam = rng.random(self.n_people) < 0.25
        lead = np.where(for_jam, rng.uniform(2 * MINUTE, 3 * HOUR, self.n_people),
                        rng.uniform(8 * DAY, 400 * DAY, self.n_people)).astype(np.int64)
        self.person_created = np.where(active, first - lead,
                                       self.now - rng.uniform(HOUR, 400 * DAY, self.n_people).astype(np.int64))
        return f"{int(up.sum()):,} up, {int(down.sum()):,} down, {int(comments.sum()):,} visible comments"

    # --- writing -----------------------------------------------------------------------------

    def _write(self):
        engine = db.engine
        sqlite = engine.dialect.name == "sqlite"
        with engine.connect() as conn:
            if sqlite:
                # A bulk load that is all or nothing anyway: no fsync per page, a large cache.
                conn.exec_driver_sql("PRAGMA synchronous=OFF")
                conn.exec_driver_sql("PRAGMA cache_size=-400000")
                conn.commit()
            try:
                self.conn = conn
                self._stage("writing people and campaigns", self._write_people_and_campaigns)
                self._stage("writing ideas", self._write_ideas)
                self._stage("writing votes", self._write_votes)
                self._stage("writing comments", self._write_comments)
                self._stage("writing follows, notifications and audit", self._write_follows_and_notes)
            finally:
                self.conn = None
                if sqlite:
                    conn.rollback()
                    conn.exec_driver_sql("PRAGMA synchronous=FULL")
                    conn.exec_driver_sql("PRAGMA cache_size=-2000")
                    conn.commit()

    def _insert(self, table, columns, count=None):
        """INSERT ``count`` rows given as columns (arrays, lists, _Times or constants), in batches."""
        table = getattr(table, "__table__", table)
        names = list(columns)
        if count is None:
            count = len(next(v for v in columns.values() if hasattr(v, "__len__") and not isinstance(v, str)))
        for start in range(0, count, BATCH):
            stop = min(count, start + BATCH)
            values = [_column(columns[name], start, stop) for name in names]
            self.conn.execute(table.insert(), [dict(zip(names, row)) for row in zip(*values)])
        return count

    def _write_people_and_campaigns(self):
        conn = self.conn
        password = hash_password(SCALE_PASSWORD)
        admin_created = self.origin - 90 * DAY
        special = []
        for index, (_label, local, role, name, department, country, locale, zone) in enumerate(ROLE_LOGINS):
            special.append({"id": self.first_user_id + index, "email": scale_email(local), "display_name": name,
                            "password_hash": password, "role": role, "kind": STAFF, "department": department,
                            "country": country, "locale": locale, "timezone": zone,
                            "created_at": _utc(admin_created + index * HOUR), "active": True})
        conn.execute(User.__table__.insert(), special)
        self.role_ids = [row["id"] for row in special]
        self._insert(User, {"id": self.person_ids, **self.people, "password_hash": password,
                            "role": Role.PARTICIPANT, "created_at": _Times(self.person_created), "active": True},
                     count=self.n_people)
        # The admin made the other two moderator and executive, as on the admin pages.
        for index in (1, 2):
            role = ROLE_LOGINS[index][2]
            self.audit.append((admin_created + (index + 2) * HOUR, 0, {
                "actor_id": self.role_ids[0], "action": "person.update", "target_type": "user",
                "target_id": self.role_ids[index], "campaign_id": None,
                "before": {"role": Role.PARTICIPANT.value, "kind": STAFF.value, "active": True},
                "after": {"role": role.value, "kind": STAFF.value, "active": True}, "reason": ""}))
        if self.new_tags:
            conn.execute(Tag.__table__.insert(), [{"id": self.tag_ids[name], "name": name} for name in self.new_tags])
        for plan in self.plans:
            kinds = sorted(plan.kinds, key=lambda k: k.value)
            row = {"id": plan.id, "slug": plan.slug, "title": plan.title, "question": plan.question,
                   "description": plan.description, "description_html": render_markdown(plan.description),
                   "starts_at": _utc(plan.start), "ends_at": _utc(plan.end), "is_private": plan.is_private,
                   "created_by_id": self.role_ids[0], "created_at": _utc(plan.created),
                   "idea_count": self.published_per_campaign[plan.key], "event_seq": 0,
                   "public_leaderboard": True, "voting_mode": VotingMode.BOTH}
            conn.execute(Campaign.__table__.insert(), [row])
            conn.execute(CampaignAudience.__table__.insert(), [{"campaign_id": plan.id, "kind": k} for k in kinds])
            # The audit entry of its creation, from an unsaved copy of what was just written.
            view = Campaign(**row, audience=[CampaignAudience(kind=k) for k in kinds])
            self.audit.append((plan.created, 0, {
                "actor_id": self.role_ids[0], "action": "campaign.create", "target_type": "campaign",
                "target_id": plan.id, "campaign_id": plan.id, "before": None,
                "after": campaign_rules._audit_view(view), "reason": ""}))
        conn.commit()
        return f"{self.spec.people:,} people, {len(self.plans)} campaigns"

    def _write_ideas(self):
        n = self.spec.ideas
        ids = self.idea_ids
        statuses = list(PIPELINE) + [IdeaStatus.DECLINED]
        hidden = self.hidden_idea_at >= 0
        person_id = self.person_ids
        camp_ids = np.array([plan.id for plan in self.plans])
        self._insert(Idea, {
            "id": ids, "campaign_id": camp_ids[self.idea_camp], "author_id": person_id[self.idea_author],
            "title": self.idea_title, "body": self.idea_body, "body_html": self.idea_html,
            "created_at": _Times(self.idea_at), "edited_at": None,
            "up_count": self.up, "down_count": self.down, "score": self.up - self.down,
            "comment_count": self.comment_count, "trending": self.trending, "version": 1,
            "content_state": [ContentState.HIDDEN if h else ContentState.PUBLISHED for h in hidden.tolist()],
            "hidden_reason": [self.hidden_idea_reason.get(i, "") for i in range(n)],
            "comments_locked": False, "status": [statuses[s] for s in self.status.tolist()],
        }, count=n)
        pairs = [(int(ids[i]), self.tag_ids[name]) for i in range(n) for name in self.idea_tags[i]]
        self._insert(idea_tags, {"idea_id": [p[0] for p in pairs], "tag_id": [p[1] for p in pairs]},
                     count=len(pairs))
        self._insert(IdeaVersion, {
            "idea_id": ids, "number": 1, "title": self.idea_title, "body": self.idea_body,
            "tags": [",".join(t) for t in self.idea_tags], "editor_id": person_id[self.idea_author],
            "created_at": _Times(self.idea_at)}, count=n)
        # The history: "submitted" by the author, then the moderators' steps, ids in time order.
        history = [(int(self.idea_at[i]), i, None, IdeaStatus.SUBMITTED, "", None) for i in range(n)]
        history += self.steps
        history.sort(key=lambda step: (step[0], step[1]))
        self._insert(IdeaStatusChange, {
            "idea_id": [int(ids[s[1]]) for s in history], "from_status": [s[2] for s in history],
            "to_status": [s[3] for s in history], "note": [s[4] for s in history],
            "actor_id": [int(person_id[self.idea_author[s[1]]]) if s[5] is None else self.role_ids[s[5]]
                         for s in history],
            "created_at": _Times([s[0] for s in history])}, count=len(history))
        for at, i, before, status, note, actor in self.steps:
            self.audit.append((at, 1, {
                "actor_id": self.role_ids[actor], "action": "idea.status", "target_type": "idea",
                "target_id": int(ids[i]), "campaign_id": int(camp_ids[self.idea_camp[i]]),
                "before": {"status": before.value}, "after": {"status": status.value}, "reason": note}))
        for i in np.flatnonzero(hidden).tolist():
            self.audit.append((int(self.hidden_idea_at[i]), 1, {
                "actor_id": self.role_ids[self.moderator_index], "action": "idea.hide", "target_type": "idea",
                "target_id": int(ids[i]), "campaign_id": int(camp_ids[self.idea_camp[i]]),
                "before": {"state": ContentState.PUBLISHED.value}, "after": {"state": ContentState.HIDDEN.value},
                "reason": self.hidden_idea_reason[i]}))
        terms = self._write_search_terms()
        self.conn.commit()
        self.counts.update({"idea tags": len(pairs), "status history steps": len(history), "search terms": terms})
        return f"{n:,} ideas, {len(pairs):,} tags, {len(history):,} status steps, {terms:,} search terms"

    def _write_search_terms(self):
        """The terms ``domain.ideas`` indexes an idea under: its title, body and tags."""
        table = IdeaSearchTerm.__table__
        total, batch = 0, []
        for i in range(self.spec.ideas):
            text = " ".join([self.idea_title[i], self.idea_body[i], *sorted(self.idea_tags[i])])
            idea_id = int(self.idea_ids[i])
            batch += [{"idea_id": idea_id, "term": term} for term in search.index_terms(text)]
            if len(batch) >= BATCH:
                self.conn.execute(table.insert(), batch)
                total, batch = total + len(batch), []
        if batch:
            self.conn.execute(table.insert(), batch)
            total += len(batch)
        return total

    def _write_votes(self):
        at = _Times(self.vote_at)
        self._insert(Vote, {"user_id": self.person_ids[self.vote_voter], "idea_id": self.idea_ids[self.vote_idea],
                            "value": self.vote_value, "created_at": at, "updated_at": at})
        self.conn.commit()
        return f"{len(self.vote_idea):,} votes"

    def _write_comments(self):
        n = len(self.comment_idea)
        deleted = self.comment_deleted_at >= 0
        hidden = self.comment_hidden_at >= 0
        reasons = self.rng.integers(0, len(HIDE_REASONS), n)
        bodies = [("" if d else body) for body, d in zip(self.comment_body, deleted.tolist())]
        parent_ids = np.where(self.comment_parent >= 0, self.comment_ids[np.maximum(self.comment_parent, 0)], -1)
        self._insert(Comment, {
            "id": self.comment_ids, "idea_id": self.idea_ids[self.comment_idea],
            "author_id": self.person_ids[self.comment_author],
            "parent_id": [None if p < 0 else p for p in parent_ids.tolist()],
            "body": bodies, "body_html": [self._render(b) if b else "" for b in bodies],
            "created_at": _Times(self.comment_at), "edited_at": None,
            "deleted_at": _Times(self.comment_deleted_at),
            "content_state": [ContentState.HIDDEN if h else ContentState.PUBLISHED for h in hidden.tolist()],
            "hidden_reason": [HIDE_REASONS[r] if h else "" for r, h in zip(reasons.tolist(), hidden.tolist())],
        }, count=n)
        camp_ids = np.array([plan.id for plan in self.plans])
        self.comment_hide_reason = reasons
        for j in np.flatnonzero(hidden).tolist():
            self.audit.append((int(self.comment_hidden_at[j]), 1, {
                "actor_id": self.role_ids[self.moderator_index], "action": "comment.hide",
                "target_type": "comment", "target_id": int(self.comment_ids[j]),
                "campaign_id": int(camp_ids[self.idea_camp[self.comment_idea[j]]]),
                "before": {"state": ContentState.PUBLISHED.value}, "after": {"state": ContentState.HIDDEN.value},
                "reason": HIDE_REASONS[reasons[j]]}))
        self.conn.commit()
        return f"{n:,} comments"

    def _write_follows_and_notes(self):
        rng = self.rng
        n_ideas = self.spec.ideas
        stride = np.int64(self.n_people + 1)
        # Follows: authors follow their ideas, commenters the ideas they comment on, from the
        # first time.
        key = np.concatenate([np.arange(n_ideas) * stride + self.idea_author,
                              self.comment_idea * stride + self.comment_author])
        at = np.concatenate([self.idea_at, self.comment_at])
        order = np.lexsort((at, key))
        key, at = key[order], at[order]
        first = np.r_[True, key[1:] != key[:-1]]
        key, at = key[first], at[first]
        follow_idea, follow_person = key // stride, key % stride
        self._insert(IdeaFollow, {"user_id": self.person_ids[follow_person], "idea_id": self.idea_ids[follow_idea],
                                  "created_at": _Times(at)})
        # Notifications: (at, order, user index or -role, kind, actor, idea, comment, note).
        notes = []
        idea_author = self.idea_author[self.comment_idea]
        commenter = self.comment_author
        parent_author = np.where(self.comment_parent >= 0, self.comment_author[np.maximum(self.comment_parent, 0)], -1)
        to_author = idea_author != commenter
        author_kind = np.where(parent_author == idea_author, 1, 0)  # 1: a reply outranks the rest
        kinds = (NotificationKind.COMMENT_ON_MY_IDEA, NotificationKind.REPLY_TO_MY_COMMENT)
        for j in np.flatnonzero(to_author).tolist():
            notes.append((int(self.comment_at[j]), 0, int(idea_author[j]), kinds[author_kind[j]],
                          int(commenter[j]), int(self.comment_idea[j]), int(self.comment_ids[j]), ""))
        to_parent = (parent_author >= 0) & (parent_author != commenter) & (parent_author != idea_author)
        for j in np.flatnonzero(to_parent).tolist():
            notes.append((int(self.comment_at[j]), 1, int(parent_author[j]), kinds[1], int(commenter[j]),
                          int(self.comment_idea[j]), int(self.comment_ids[j]), ""))
        # Status changes reach the idea's followers at that moment and its author.
        followers = {}
        moved = {step[1] for step in self.steps}
        for idea, person, since in zip(follow_idea.tolist(), follow_person.tolist(), at.tolist()):
            if idea in moved:
                followers.setdefault(idea, []).append((since, person))
        for step_at, i, _before, _status, _note, actor in self.steps:
            people = {p for since, p in followers.get(i, []) if since <= step_at} | {int(self.idea_author[i])}
            for position, person in enumerate(sorted(people)):
                notes.append((step_at, 2 + position, person, NotificationKind.STATUS_CHANGED, -1 - actor, i, None, ""))
        for i in np.flatnonzero(self.hidden_idea_at >= 0).tolist():
            notes.append((int(self.hidden_idea_at[i]), 0, int(self.idea_author[i]), NotificationKind.CONTENT_HIDDEN,
                          -1 - self.moderator_index, i, None, self.hidden_idea_reason[i]))
        for j in np.flatnonzero(self.comment_hidden_at >= 0).tolist():
            notes.append((int(self.comment_hidden_at[j]), 0, int(self.comment_author[j]),
                          NotificationKind.CONTENT_HIDDEN, -1 - self.moderator_index, int(self.comment_idea[j]),
                          int(self.comment_ids[j]), HIDE_REASONS[self.comment_hide_reason[j]]))
        notes.sort(key=lambda note: (note[0], note[1]))
        # People open their notifications now and then: everything up to that visit is read.
        person = np.array([note[2] for note in notes], np.int64)
        when = np.array([note[0] for note in notes], np.int64)
        visit = np.full(self.n_people, -1, np.int64)
        if len(notes):
            earliest = np.full(self.n_people, np.iinfo(np.int64).max)
            np.minimum.at(earliest, person, when)
            has = earliest < np.iinfo(np.int64).max
            visits = has & (rng.random(self.n_people) < 0.6)
            span = np.maximum(1, self.limit_now - earliest)
            visit[visits] = earliest[visits] + (rng.random(int(visits.sum())) * span[visits]).astype(np.int64)
        read = np.where(when <= visit[person], visit[person], -1)

        def user_id(index):
            return int(self.person_ids[index]) if index >= 0 else self.role_ids[-1 - index]

        self._insert(Notification, {
            "user_id": [user_id(note[2]) for note in notes], "kind": [note[3] for note in notes],
            "actor_id": [user_id(note[4]) for note in notes],
            "idea_id": [int(self.idea_ids[note[5]]) for note in notes],
            "comment_id": [note[6] for note in notes], "created_at": _Times(when), "read_at": _Times(read),
            "note": [note[7] for note in notes]}, count=len(notes))
        self.audit.sort(key=lambda entry: (entry[0], entry[1]))
        self._insert(AuditEntry, {
            **{name: [entry[2][name] for entry in self.audit] for name in
               ("actor_id", "action", "target_type", "target_id", "campaign_id", "before", "after", "reason")},
            "created_at": _Times([entry[0] for entry in self.audit])}, count=len(self.audit))
        self.conn.commit()
        self.counts.update({"follows": len(key), "notifications": len(notes), "audit entries": len(self.audit)})
        return f"{len(key):,} follows, {len(notes):,} notifications, {len(self.audit):,} audit entries"

    def _best_scores(self):
        """Every idea's "best" score from its counts, as the domain works it out after a bulk
        import."""
        for plan in self.plans:
            idea_rules.rescore_best(plan.id)
        db.session.commit()
        return None

    def _advance_sequences(self):
        """Rows were written with their ids, which PostgreSQL's id sequences did not see: move
        each past its table's largest id, or the next row the app adds would take a used one.
        (SQLite takes the next id from the table itself.)"""
        if db.engine.dialect.name != "postgresql":
            return None
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                column = table.c.get("id")
                if column is None or not column.primary_key or not isinstance(column.type, Integer):
                    continue
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
        return None

    def _checkpoint(self):
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return None
