"""A living demo jam: people, campaigns, ideas, comments and votes, seeded through the domain.

``seed_demo()`` builds a bilingual (English / Traditional Chinese) jam with one open, one
upcoming, one closed and one private staff-only campaign. Every write goes through the
same domain functions people use (create campaign, submit, edit, comment, delete a
comment, vote, follow, change roles, deactivate), so every rule and every counter is
applied exactly as in real use. The one exception is registration: the admin registers
through accounts.create_admin, and the rest of the cast reuse that password hash (see
_Seeder.register for why).

Activity is spread over time: while seeding, ``CLOCK`` is replaced by a clock the seeder
moves forward, event by event, so the closed campaign's ideas, comments and votes happen
while it was open and the open campaign's over its past two days. The previous clock is
restored afterwards.

The data is deterministic for a given ``seed`` (only the timestamps follow "now").
Used by ``flask jam seed-demo``; see app/cli.py.
"""
import heapq
import itertools
import math
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

import numpy as np
from flask import current_app
from sqlalchemy import event, func, select

from app.domain import (accounts, campaigns, comments, comparisons, flags, ideas, merges, reviews, rules,
                        votes)
from app.domain.clock import utcnow
from app.domain.errors import NoPairLeft
from app.extensions import db
from app.models import Campaign, Comment, Idea, ParticipantKind, Role, User, Vote, VotingMode

DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "demo.ideajam.example"
DEFAULT_SEED = 2026

STAFF, PARTNER, CUSTOMER = ParticipantKind.STAFF, ParticipantKind.PARTNER, ParticipantKind.CUSTOMER
PARTICIPANT, MODERATOR, ADMIN, EXECUTIVE = Role.PARTICIPANT, Role.MODERATOR, Role.ADMIN, Role.EXECUTIVE


def demo_email(local_part):
    return f"{local_part}@{DEMO_DOMAIN}"


# (label, email) of one example account per role and kind, printed by `flask jam seed-demo`.
DEMO_LOGINS = [
    ("Admin (staff)", demo_email("admin")),
    ("Moderator (staff)", demo_email("moderator")),
    ("Executive (read-only)", demo_email("executive")),
    ("Staff participant", demo_email("staff")),
    ("Staff participant, 中文介面", demo_email("staff.zh")),
    ("Partner participant", demo_email("partner")),
    ("Customer participant", demo_email("customer")),
]


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Person:
    email: str
    name: str
    role: Role
    kind: ParticipantKind
    department: str | None
    country: str
    locale: str
    timezone: str
    # A former partner who took part in the closed campaign and was deactivated after it.
    leaves: bool = False


def _p(local, name, role, kind, department, country, locale, tz, leaves=False):
    return _Person(demo_email(local), name, role, kind, department, country, locale, tz, leaves)


PEOPLE = [
    # The first person is the admin who sets everything up; registered via create_admin.
    _p("admin", "Grace Lin", ADMIN, STAFF, "IT", "TW", "en", "Asia/Taipei"),
    _p("chen.zhiming", "陳志明", ADMIN, STAFF, "Product", "TW", "zh_Hant", "Asia/Taipei"),
    _p("moderator", "Priya Raman", MODERATOR, STAFF, "Customer Care", "SG", "en", "Asia/Singapore"),
    _p("huang.meiling", "黃美玲", MODERATOR, STAFF, "Marketing", "HK", "zh_Hant", "Asia/Hong_Kong"),
    _p("executive", "David Okafor", EXECUTIVE, STAFF, "Executive Office", "GB", "en", "Europe/London"),
    _p("wang.zhenyu", "王振宇", EXECUTIVE, STAFF, "Network Engineering", "TW", "zh_Hant", "Asia/Taipei"),
    # Staff participants
    _p("staff", "Tom Fischer", PARTICIPANT, STAFF, "Network Engineering", "DE", "en", "Europe/Berlin"),
    _p("staff.zh", "張雅婷", PARTICIPANT, STAFF, "Customer Care", "TW", "zh_Hant", "Asia/Taipei"),
    _p("li.zonghan", "李宗翰", PARTICIPANT, STAFF, "Network Engineering", "TW", "zh_Hant", "Asia/Taipei"),
    _p("aiko.tanaka", "Aiko Tanaka", PARTICIPANT, STAFF, "Product", "JP", "en", "Asia/Tokyo"),
    _p("rahul.mehta", "Rahul Mehta", PARTICIPANT, STAFF, "IT", "IN", "en", "Asia/Kolkata"),
    _p("emma.clarke", "Emma Clarke", PARTICIPANT, STAFF, "Marketing", "GB", "en", "Europe/London"),
    _p("wu.junjie", "吳俊傑", PARTICIPANT, STAFF, "Retail", "HK", "zh_Hant", "Asia/Hong_Kong"),
    _p("sophie.nguyen", "Sophie Nguyen", PARTICIPANT, STAFF, "Product", "AU", "en", "Australia/Sydney"),
    _p("liu.yijun", "劉怡君", PARTICIPANT, STAFF, "Marketing", "TW", "zh_Hant", "Asia/Taipei"),
    _p("marcus.lee", "Marcus Lee", PARTICIPANT, STAFF, "Retail", "SG", "en", "Asia/Singapore"),
    _p("cai.mingzhe", "蔡明哲", PARTICIPANT, STAFF, "IT", "TW", "zh_Hant", "Asia/Taipei"),
    _p("olivia.brown", "Olivia Brown", PARTICIPANT, STAFF, "Customer Care", "US", "en", "America/New_York"),
    # Partners
    _p("partner", "Lukas Weber", PARTICIPANT, PARTNER, "Partner Channel", "DE", "en", "Europe/Berlin"),
    _p("zheng.jiahao", "鄭家豪", PARTICIPANT, PARTNER, "Partner Channel", "HK", "zh_Hant", "Asia/Hong_Kong"),
    _p("hannah.kim", "Hannah Kim", PARTICIPANT, PARTNER, "Partner Channel", "US", "en", "America/Los_Angeles"),
    _p("kenji.sato", "Kenji Sato", PARTICIPANT, PARTNER, "Partner Channel", "JP", "en", "Asia/Tokyo"),
    _p("xu.zhiwei", "許志偉", PARTICIPANT, PARTNER, "Partner Channel", "TW", "zh_Hant", "Asia/Taipei",
       leaves=True),
    # Customers
    _p("customer", "Sarah Mitchell", PARTICIPANT, CUSTOMER, None, "GB", "en", "Europe/London"),
    _p("zhou.xiaoyu", "周小雨", PARTICIPANT, CUSTOMER, None, "TW", "zh_Hant", "Asia/Taipei"),
    _p("james.wilson", "James Wilson", PARTICIPANT, CUSTOMER, None, "AU", "en", "Australia/Melbourne"),
    _p("lin.jiawei", "林家瑋", PARTICIPANT, CUSTOMER, None, "HK", "zh_Hant", "Asia/Hong_Kong"),
    _p("ananya.iyer", "Ananya Iyer", PARTICIPANT, CUSTOMER, None, "IN", "en", "Asia/Kolkata"),
    _p("gao.wanting", "高婉婷", PARTICIPANT, CUSTOMER, None, "TW", "zh_Hant", "Asia/Taipei"),
    _p("michael.tan", "Michael Tan", PARTICIPANT, CUSTOMER, None, "SG", "en", "Asia/Singapore"),
    _p("chen.guanyu", "陳冠宇", PARTICIPANT, CUSTOMER, None, "TW", "zh_Hant", "Asia/Taipei"),
    _p("laura.schmidt", "Laura Schmidt", PARTICIPANT, CUSTOMER, None, "DE", "en", "Europe/Berlin"),
]


# --------------------------------------------------------------------------------------
# Campaigns and their ideas
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _IdeaSpec:
    by: ParticipantKind       # the kind of person who posts it
    title: str
    body: str
    tags: tuple
    heat: str | None = None   # "hot"/"warm": many/some votes; "split": up and down votes
    update: str | None = None  # a paragraph the author adds in an edit later
    add_tag: str | None = None

    @property
    def chinese(self):
        return any("\u3400" <= ch <= "\u9fff" for ch in self.title)


def _i(by, title, body, tags, heat=None, update=None, add_tag=None):
    kind = {"s": STAFF, "p": PARTNER, "c": CUSTOMER}[by]
    return _IdeaSpec(kind, title, body, tuple(tags), heat, update, add_tag)


@dataclass(frozen=True)
class _CampaignSpec:
    key: str
    title: str
    question: str
    description: str
    starts: timedelta          # relative to "now"
    ends: timedelta
    created: timedelta
    audience: tuple
    is_private: bool = False
    ideas: tuple = ()
    voting_mode: VotingMode = VotingMode.BOTH


LAUNCH_CONDUCT = (
    "- **Be kind.** Criticise ideas, never people.\n"
    "- **Keep it confidential.** No customer data, prices under negotiation or unreleased numbers.\n"
    "- **Stay on topic.** Ideas about launching services faster; sales pitches are removed.\n\n"
    "請友善交流，不要張貼機密資料，並緊扣本次主題。"
)


LAUNCH_IDEAS = (
    # English
    _i("s", "Feature flags for network services",
       "Ship new tariff and service features dark behind **feature flags**, then switch them on "
       "per region. Rollback becomes a toggle instead of a change window.",
       ["devops", "launch"],
       update="**Update:** the app team already uses flags; the gap is the BSS side. "
              "the IT team has offered to prototype it.", add_tag="bss"),
    _i("p", "A 48-hour sandbox for partner APIs",
       "Give partners a self-service sandbox with our **number porting**, SMS and billing APIs, "
       "provisioned in under two days instead of six weeks.",
       ["partners", "api"], heat="hot"),
    _i("s", "Reusable product catalogue building blocks",
       "Most new plans are recombinations of data, voice and roaming bundles. A modular catalogue "
       "would let product managers assemble and price a plan *without an IT project*.",
       ["catalogue", "billing"]),
    _i("s", "Borrow the playbook from our fastest launch",
       "The 5G home broadband launch went from idea to market in four months. Let's write down "
       "what that team did differently and make it the default playbook.",
       ["process", "playbook"]),
    _i("s", "One approval board instead of five",
       "Legal, security, finance, brand and network each review separately today. A single weekly "
       "launch board with all five in the room could cut *weeks* from every launch.",
       ["process", "governance"], heat="hot"),
    _i("c", "eSIM-first onboarding for new plans",
       "New digital-only plans should activate with an eSIM QR code in the app: no SIM shipping, "
       "no store visit, online in minutes.",
       ["esim", "digital"], heat="warm"),
    _i("s", "Pre-approved regulatory templates",
       "Keep pre-cleared wording for common offer types (data add-ons, family plans, roaming "
       "passes) so compliance only checks the differences.",
       ["regulatory", "process"]),
    _i("c", "Public beta programme for power users",
       "Invite 5,000 enthusiastic customers into a beta ring. They get new features early; we get "
       "real traffic and honest feedback before the mass launch.",
       ["beta", "customers"]),
    _i("s", "Network slicing as a product, not a project",
       "Package 5G slices for events and enterprises as standard SKUs with fixed SLAs, so sales "
       "can sell them without a bespoke design each time.",
       ["5g", "enterprise"]),
    _i("s", "Automated end-to-end test lab",
       "Run nightly automated tests from order to activation to first bill on a virtual copy of "
       "our BSS/OSS stack. Most launch delays are found in the final integration week.",
       ["testing", "automation"]),
    _i("s", "Kill switch for underperforming offers",
       "Agree up front on the metrics that retire an offer after 90 days. Fewer zombie plans "
       "means a simpler catalogue and faster launches.",
       ["catalogue", "metrics"], heat="split"),
    _i("c", "Self-service number porting",
       "Porting a number in still needs a store visit or a long call. A fully digital port-in, "
       "with a temporary number that works at once, would remove the biggest hurdle for switchers.",
       ["porting", "digital"],
       update="**Edit:** regulators allow digital identity checks for port-ins since this year.",
       add_tag="regulatory"),
    _i("p", "Marketplace for partner add-ons",
       "Let partners list streaming, security and cloud storage add-ons in our app with a "
       "standard revenue share, instead of negotiating each integration.",
       ["partners", "marketplace"]),
    _i("s", "Measure time-to-market on a dashboard",
       "We can't improve what we don't measure. Track idea-to-launch days for every service and "
       "show it to leadership every month.",
       ["metrics", "process"]),
    _i("s", "Cloud-native charging system",
       "Our charging system needs a vendor release for every new rating rule. A configurable, "
       "cloud-native OCS would let us launch pricing changes in days.",
       ["billing", "cloud"], heat="split"),
    _i("s", "Fixed launch windows every two weeks",
       "Instead of negotiating a date for each launch, run a predictable **release train**. "
       "Teams that miss one simply catch the next.",
       ["process", "release-train"]),
    _i("c", "Customer advisory panel on WhatsApp",
       "A standing panel of 200 customers we can ask about an offer within 24 hours, instead of "
       "commissioning research that takes a month.",
       ["customers", "research"]),
    _i("s", "Reuse the travel pass engine for events",
       "The roaming day-pass engine could power *event passes* (concerts, marathons) with boosted "
       "data at the venue. Very little new build needed.",
       ["5g", "events"]),
    _i("s", "Single API gateway for all channels",
       "App, web, stores and call centre each call different back ends. One API gateway means a "
       "feature built once appears everywhere.",
       ["api", "architecture"]),
    _i("s", "Small, empowered launch squads",
       "Give each new service a squad of 6–8 people from product, IT, network and marketing, "
       "with their own budget and the authority to decide.",
       ["teams", "process"], heat="warm"),
    _i("s", "Digital twin of the network for capacity checks",
       "Before a launch, simulate the expected traffic on a digital twin to know whether capacity "
       "is ready, rather than waiting for a field test.",
       ["network", "simulation"]),
    _i("p", "Launch in one city, then scale",
       "Start each service in one city (say Kaohsiung or Manchester) with a full marketing push, "
       "learn for a month, then roll out nationally.",
       ["pilot", "rollout"]),
    _i("s", "Plain-language terms generator",
       "Generate customer terms from the product catalogue, in English and Chinese, so the copy "
       "isn't written from scratch for every offer.",
       ["legal", "i18n"]),
    # 繁體中文
    _i("s", "與中國電信合作推出跨境漫遊方案",
       "許多客戶經常往返台灣與中國大陸。與**中國電信**談一個固定月費的跨境漫遊方案，直接沿用對方的網路，"
       "不必自建基礎設施，上市時間可縮短到一季以內。",
       ["漫遊", "partners"], heat="hot",
       update="**補充：**香港的客戶也有同樣需求，可以一起談大灣區方案。", add_tag="香港"),
    _i("s", "門市即時回報客人反應",
       "在門市平板加一個按鈕，店員每天回報客人對新方案最常問的三個問題，產品團隊隔天就能調整說明。",
       ["門市", "feedback"]),
    _i("c", "用 LINE 官方帳號做快速問卷",
       "建立五百位自願客戶的 LINE 群組，新方案的構想一天內就能收到回饋，不用等一個月的市場調查。",
       ["customers", "line"]),
    _i("s", "資費試算器先上線",
       "新方案上市前一週先開放線上資費試算，觀察客人試算的組合，就能預測需求並及早修正定價。",
       ["pricing", "digital"]),
    _i("s", "網路設定變更全面自動化",
       "新服務常卡在基地台參數的手動設定。用自動化腳本加上審核流程取代人工，一個晚上就能完成全台設定。",
       ["automation", "network"], heat="warm"),
    _i("p", "開放 API 給物聯網新創",
       "提供物聯網 SIM 卡管理 API 與按量計費，讓新創自己開發應用，我們專心提供連網與平台。",
       ["iot", "api"]),
    _i("s", "上市檢查清單數位化",
       "現在的上市檢查清單是一份很長的 Excel。改成線上流程，各部門簽核狀態即時可見，誰卡住一看就知道。",
       ["process", "checklist"]),
    _i("s", "客服中心提前參與產品設計",
       "客服最清楚客人會卡在哪裡。讓客服代表從第一天就加入產品設計，上市後的客訴會少很多。",
       ["客服", "design"]),
    _i("p", "與超商合作販售預付 eSIM",
       "在便利商店的多媒體機直接購買預付 eSIM，列印 QR code 即可開通，觀光客一下飛機就能上網。",
       ["esim", "retail"]),
    _i("p", "寬頻加購串流影音包",
       "和影音平台合作，寬頻客戶在帳單上一鍵加購串流方案。合作夥伴負責內容，我們負責計費和通路。",
       ["partners", "streaming"]),
    _i("s", "開放給學生的電信服務黑客松",
       "每半年和大學合辦黑客松，開放部分 API，得獎作品由內部小隊孵化成正式的電信服務。",
       ["innovation", "students"]),
    _i("c", "長輩友善的簡易方案",
       "推出大字體、一鍵求助、固定低月費的長輩方案，搭配門市一對一設定服務，需求明確、上市容易。",
       ["seniors", "門市"]),
    _i("p", "低軌衛星備援訊息服務",
       "和衛星業者合作，讓偏鄉和離島客戶在基地台中斷時自動切換到衛星簡訊。可以先從企業客戶開始。",
       ["satellite", "partners"], heat="split"),
    _i("c", "家庭 Wi-Fi 健檢服務",
       "在 App 內一鍵檢測家中 Wi-Fi 死角，並推薦網狀路由器租用方案，從診斷到加購一次完成。",
       ["broadband", "wifi"]),
    _i("s", "內部創新基金每季撥款",
       "每季撥一筆小額預算給員工提案，通過初審的點子兩週內就能做出原型，不必等年度預算。",
       ["innovation", "budget"]),
    _i("s", "跨境電商商家專屬方案",
       "很多中小企業做跨境電商，需要穩定的國際網路和簡訊通知。推出打包好的商家方案，業務很好推。",
       ["enterprise", "sme"]),
    _i("s", "新方案上市後的客訴預警",
       "上市後第一週每天分析客服紀錄和社群留言的關鍵字，有問題立刻通報產品團隊，不用等月報。",
       ["feedback", "analytics"]),
    _i("s", "把現行資費方案減少一半",
       "目前有超過三百種現行方案，每推一個新方案都要測試與舊方案的相容性。大幅精簡舊方案，新服務自然上得快。",
       ["catalogue", "simplification"], heat="split"),
    _i("p", "供應商共同測試實驗室",
       "邀請設備與軟體供應商進駐同一個測試實驗室，問題當場一起解決，不用來回寄信等回覆。",
       ["testing", "vendors"]),
    _i("s", "5G 企業專網標準化方案",
       "把工廠、醫院常用的 5G 專網需求做成三種標準規格，業務可以直接報價，不必每案重新設計。",
       ["5g", "enterprise"]),
    _i("s", "用生成式 AI 寫第一版產品文案",
       "讓行銷同仁用生成式 AI 產出中英文文案初稿，再由人工潤飾，文案準備時間可以從兩週縮短到兩天。",
       ["ai", "marketing"]),
    _i("s", "門市人員上市前預習包",
       "上市前一週寄給每家門市：三分鐘影片、常見問答和展示機。第一線同仁準備好了，客人問什麼都答得出來。",
       ["門市", "training"], heat="hot"),
    _i("s", "新服務先在員工手機上試用",
       "每個新方案正式上市前，先讓全體員工試用兩週。員工回報問題的速度比任何測試都快，也更能在門市介紹。",
       ["pilot", "staff"]),
)

CARE_IDEAS = (
    # English
    _i("s", "Real-time translation for international customers",
       "Live translation in chat and on calls would let any agent help customers in Bahasa, "
       "Vietnamese or Hindi, not just English and Chinese.",
       ["ai", "languages"]),
    _i("s", "One agent, end to end",
       "Customers hate being transferred. Give one agent ownership of a case until it is solved, "
       "with the authority to issue credits up to a set amount.",
       ["ownership", "contact-centre"], heat="hot",
       update="**Update:** Customer Care suggests a credit limit of NT$1,500 per case to start."),
    _i("c", "Video help for device setup",
       "Offer a one-tap video call with a store expert to set up a new phone, move data, or "
       "configure an eSIM.",
       ["video", "devices"]),
    _i("c", "Make our phone menu three options long",
       "Our phone menu has 14 options on three levels. Ask customers what they need in their own "
       "words and route them from that.",
       ["ivr", "contact-centre"], heat="warm"),
    _i("c", "Customer care on the customer's schedule",
       "Open chat support 24/7 and let customers continue a conversation hours later without "
       "starting over.",
       ["chat", "contact-centre"]),
    _i("c", "Loyalty perks for long-time customers",
       "Customers of ten years get the same deals as new ones, or worse. Give loyal customers "
       "priority lines and upgrade perks.",
       ["loyalty", "retention"], heat="split"),
    _i("p", "Community forum with expert customers",
       "Reward customers who answer others' questions in a moderated community; many questions "
       "are answered faster by peers.",
       ["community", "self-service"]),
    _i("s", "AI assistant that hands over gracefully",
       "A chatbot that knows when to stop: after two failed attempts it passes the **whole** "
       "conversation to a person, so the customer never repeats themselves.",
       ["ai", "chatbot"], heat="hot"),
    _i("c", "Digital receipts and warranty wallet",
       "Keep every device receipt, warranty and insurance policy in the app, so customers never "
       "hunt for paperwork when something breaks.",
       ["app", "devices"]),
    _i("c", "Cancel online in three clicks",
       "Let customers cancel online in three clicks. Making it hard to leave costs us more in "
       "reputation than it saves.",
       ["trust", "cancellation"], heat="split"),
    _i("s", "Home visits for customers who need them",
       "Customers recovering from illness or with limited mobility should be able to ask for a "
       "technician or adviser at home.",
       ["inclusion", "field-service"]),
    _i("s", "Agents see network health per address",
       "Give agents a map of outages and signal quality at the customer's address, so they stop "
       "troubleshooting phones when the mast is down.",
       ["network", "contact-centre"]),
    _i("c", "Weekend technicians for home broadband",
       "Many customers can only be home at weekends. Offer Saturday and Sunday technician slots "
       "at no extra cost.",
       ["broadband", "field-service"]),
    _i("s", "Follow-up message after every fix",
       "Two days after a case is closed, ask whether it really is fixed, and reopen it "
       "automatically if not.",
       ["quality", "follow-up"]),
    _i("p", "Partner-branded support for resellers",
       "Let reseller partners use our support tools under their own brand, so their customers "
       "get the same quality of care.",
       ["partners", "white-label"]),
    _i("s", "Knowledge base written by agents",
       "Agents update help articles directly when they find a better answer; moderators review "
       "the change within a day.",
       ["knowledge-base", "self-service"]),
    # 繁體中文
    _i("s", "斷線前主動通知客戶",
       "透過網路監控找出受影響的用戶，在他們發現之前就傳簡訊通知，附上預估修復時間與自動補償。",
       ["proactive", "network"], heat="warm"),
    _i("c", "帳單逐項白話說明",
       "帳單上每一筆費用都附上白話解釋：漫遊為什麼這麼貴、優惠什麼時候到期，一看就懂。",
       ["billing", "clarity"], heat="hot",
       update="**補充：**在 App 裡點任何一筆費用，也能直接看到說明。", add_tag="app"),
    _i("c", "預約回電取代等候音樂",
       "沒有人喜歡在線上等。提供保證時段的回電服務，而且說到做到。",
       ["客服", "waiting"]),
    _i("c", "門市預約先選來店原因",
       "預約門市時先選擇來店原因，讓對的專員和庫存事先準備好，不用再白跑一趟。",
       ["門市", "appointments"]),
    _i("s", "門市與線上客服紀錄打通",
       "客人在門市說過的事，打電話時客服也要知道。門市、App、電話的服務紀錄應該整合成同一份。",
       ["omnichannel", "客服"]),
    _i("s", "離島與偏鄉行動服務車",
       "定期派行動服務車到離島和偏鄉，提供換機、維修、繳費和長輩教學，縮短城鄉服務落差。",
       ["rural", "field-service"]),
    _i("s", "客服人員的情緒支持",
       "客服每天面對很多情緒激動的客人。提供心理諮商資源和彈性休息時間，員工狀態好，服務品質才會好。",
       ["wellbeing", "staff"]),
    _i("c", "寬頻裝機時間精準到一小時",
       "現在裝機只給半天的時段。用派工系統把預估抵達時間縮短到一小時內，並在技師出發時傳簡訊通知。",
       ["broadband", "field-service"]),
    _i("s", "以客戶費力程度作為主要指標",
       "把「客人為了解決問題花了多少力氣」（Customer Effort Score）當作客服的主要指標，而不只是通話時間。",
       ["metrics", "quality"], heat="split"),
    _i("c", "手機維修期間免費借用備用機",
       "送修手機時直接提供備用機，資料用雲端備份一鍵搬移，客人不會有一天失聯。",
       ["devices", "repair"]),
    _i("c", "繳費困難時提供彈性分期",
       "遇到繳費困難的客人，主動提供分期或延後繳費，而不是直接停話。",
       ["billing", "empathy"]),
    _i("s", "手語視訊客服與文字轉接",
       "提供手語視訊客服和文字轉接服務，並在官網清楚標示，讓聽障朋友也能順利求助。",
       ["accessibility", "inclusion"]),
    _i("s", "用真實案例做客服教育訓練",
       "用匿名化的真實客服錄音做教育訓練，新人上線前就聽過最常見的五十種狀況。",
       ["training", "客服"]),
    _i("c", "在 LINE 上直接辦理業務",
       "很多客人習慣用 LINE。讓客人在 LINE 上直接查帳單、換方案、報修，不用另外下載 App。",
       ["line", "self-service"], heat="warm"),
    _i("c", "App 即時查看維修進度",
       "像查包裹一樣，每一件維修、攜碼、申訴都能在 App 看到即時進度和負責人。",
       ["app", "transparency"]),
    _i("s", "長輩專屬客服專線",
       "為六十五歲以上的客人提供專屬專線，講話慢一點、耐心多一點，必要時安排到府服務。",
       ["seniors", "accessibility"]),
)

TOOLS_IDEAS = (
    _i("s", "Single sign-on for every internal tool",
       "I log in to eleven systems every morning. SSO across CRM, ticketing and provisioning "
       "would save each of us ten minutes a day.",
       ["it", "sso"], heat="warm"),
    _i("s", "Searchable launch archive",
       "Every past launch plan, post-mortem and pricing decision in one searchable place, so we "
       "stop repeating old mistakes.",
       ["knowledge", "process"]),
    _i("s", "Faster laptop replacement",
       "Laptop swaps take two weeks. A pool of pre-imaged spares in each office would cut that "
       "to a day.",
       ["it", "devices"]),
    _i("s", "出差報帳改成手機拍照就好",
       "現在報帳要印出來貼單據。改成手機拍照上傳、自動辨識金額，主管在手機上就能簽核。",
       ["expenses", "mobile"], heat="hot"),
    _i("s", "內部系統提供中文介面",
       "工單系統和網管系統只有英文介面，很多資深工程師用起來很吃力。至少把常用畫面中文化。",
       ["i18n", "it"]),
    _i("s", "會議室預約自動附上視訊連結",
       "預約會議室時自動產生視訊連結並檢查設備，不用每次開會前五分鐘還在找轉接頭。",
       ["office", "collaboration"]),
)

CAMPAIGNS = (
    _CampaignSpec(
        key="care", title="Customer care of the future",
        question="What should customer care feel like in 2030?",
        description=(
            "Our customers reach us in stores, on the phone, in the app and on LINE. "
            "**What would make every one of those moments effortless?**\n\n"
            "- Think about the last time *you* needed help from a company.\n"
            "- Ideas can be small (a better message) or big (a new service model).\n"
            "- Vote for the ideas you would fund; the top ten go to the Customer Experience board.\n\n"
            "歡迎用中文或英文分享你的點子！"
        ),
        starts=timedelta(days=-24), ends=timedelta(days=-10), created=timedelta(days=-35),
        audience=(STAFF, PARTNER, CUSTOMER), ideas=CARE_IDEAS, voting_mode=VotingMode.UP_DOWN,
    ),
    _CampaignSpec(
        key="launch", title="Launch new telecom services faster",
        question="How could we launch new telecom services faster?",
        description=(
            "Today a new plan or service takes **nine months** on average from idea to launch. "
            "Our competitors do it in three.\n\n"
            "Where do we lose time, and what would you change? Think about:\n\n"
            "1. approvals and regulation,\n"
            "2. IT, billing and the network,\n"
            "3. working with partners,\n"
            "4. preparing stores and customer care.\n\n"
            "新服務從構想到上市平均要九個月。哪裡最花時間？你會怎麼改？中英文點子都歡迎。"
        ),
        starts=timedelta(days=-2), ends=timedelta(days=2), created=timedelta(days=-12),
        audience=(STAFF, PARTNER, CUSTOMER), ideas=LAUNCH_IDEAS,
    ),
    _CampaignSpec(
        key="tools", title="Internal tools wish list",
        question="Which internal tool slows you down the most, and how would you fix it?",
        description=(
            "A private jam for **staff only**: partners and customers can't see it.\n\n"
            "Tell IT which tools and processes get in your way. 只限內部同仁參加。"
        ),
        starts=timedelta(days=-1), ends=timedelta(days=6), created=timedelta(days=-4),
        audience=(STAFF,), is_private=True, ideas=TOOLS_IDEAS, voting_mode=VotingMode.PAIRWISE,
    ),
    _CampaignSpec(
        key="green", title="Greener networks",
        question="How can our network use less energy without hurting coverage?",
        description=(
            "Our network uses as much electricity as a small town. We have committed to "
            "**net zero by 2035**.\n\n"
            "Ideas welcome on radio sites, data centres, devices, packaging and how we work "
            "with partners. Opens soon: get your ideas ready!\n\n"
            "如何讓網路更省電、更環保？活動即將開始。"
        ),
        starts=timedelta(days=5), ends=timedelta(days=19), created=timedelta(days=-3),
        audience=(STAFF, PARTNER),
    ),
)


# --------------------------------------------------------------------------------------
# Comments
# --------------------------------------------------------------------------------------

COMMENTS_EN = [
    "Love this. Could we pilot it in one region first?",
    "What would it take to get this done next quarter?",
    "We tried something similar in 2022; the blocker was billing integration, not the idea itself.",
    "+1, customers ask about this in stores every week.",
    "How would this work for prepaid customers?",
    "Security review will want to see the data flows early. Happy to help with that.",
    "This would save Customer Care a lot of repeat calls.",
    "Is there a vendor that already offers this, or would we build it ourselves?",
    "I like it, but let's measure the baseline first so we know whether it worked.",
    "Partners would welcome this; several have asked for exactly this.",
    "The network side is ready for this. The bottleneck is process.",
    "There's a very similar idea in this jam. Could the two authors join forces?",
    "Great idea. What's the smallest version we could launch in a month?",
    "Concerned about cost: do we have even a rough estimate?",
    "In Singapore we did this last year and NPS went up 8 points.",
    "Please make sure it works in both English and Chinese from day one.",
    "As a customer, I'd use this tomorrow.",
    "Who would own this after launch?",
    "Regulators in Hong Kong might need to be notified first. Worth checking.",
    "Strongly agree. The current process is **far** too slow.",
    "Not convinced: this adds yet another system to maintain.",
    "Could partners co-fund this?",
    "Let's make sure accessibility is part of this from the start.",
    "I'd add a clear success metric, e.g. *lead time in days*.",
]

COMMENTS_ZH = [
    "很棒的點子！可以先找一個地區試辦嗎？",
    "門市每週都有客人問這個，+1。",
    "預付卡用戶也適用嗎？",
    "之前試過類似做法，卡在帳務系統整合，不是點子本身的問題。",
    "建議先量測現況，之後才知道效果。",
    "這可以大幅減少客服的重複來電。",
    "資安審查會想提早看資料流程，我可以幫忙。",
    "有現成的廠商方案嗎？還是要自己開發？",
    "最小可行版本是什麼？一個月內能上線嗎？",
    "成本大概多少？有初步估算嗎？",
    "同意！現在的流程真的**太慢**了。",
    "上線後由哪個單位負責維運？",
    "合作夥伴應該會很歡迎，已經有好幾家問過。",
    "身為用戶，我明天就會用。",
    "需要先確認 NCC 的法規要求。",
    "這個點子跟另一個很像，可以合併討論。",
    "網路端其實已經準備好了，瓶頸在流程。",
    "請記得中英文介面都要支援。",
    "不太確定，這樣又多一套系統要維護。",
    "香港那邊也很需要，可以一起規劃。",
    "建議把無障礙設計一起考慮進去。",
    "長輩客人一定會很喜歡。",
]

REPLIES_EN = [
    "Good question. I'd start with postpaid and add prepaid later.",
    "Agreed, let's set up a call this week.",
    "I can share the 2022 post-mortem if that helps.",
    "That's fair. A small pilot would tell us quickly.",
    "Exactly my thinking.",
    "Finance's rough estimate for a pilot was about NT$2M.",
    "Thanks! I've added more detail to the idea.",
    "We could reuse the existing API gateway for that.",
    "Happy to volunteer our store as a pilot site.",
    "I'll check with Legal and report back here.",
    "Fair concern; the vendor option avoids most of it.",
    "+1 to measuring first.",
]

REPLIES_ZH = [
    "好問題，我建議先從月租型開始。",
    "同意，這週約個時間討論吧。",
    "我可以分享當時的檢討報告。",
    "有道理，小規模試辦一下很快就知道了。",
    "跟我想的一樣！",
    "謝謝！我已經在點子裡補充了更多細節。",
    "我們門市很樂意當試辦點。",
    "我會跟法務確認後再回覆。",
    "可以沿用現有的 API 平台。",
    "這個擔心很合理，用廠商方案可以避開大部分問題。",
    "+1，先量測很重要。",
    "香港團隊也可以一起參與。",
]


# --------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------

class _DemoClock:
    """The clock the seeder moves forward while it replays the jam's history."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@dataclass
class DemoSummary:
    people: int
    campaigns: int
    ideas: int
    comments: int
    votes: int
    seconds: float


@dataclass(order=True)
class _Event:
    at: datetime
    seq: int
    action: Callable = field(compare=False)


def demo_present() -> bool:
    """True when the database already has campaigns (demo or real): nothing is seeded then."""
    return db.session.scalar(select(Campaign.id).limit(1)) is not None


def demo_accounts_present() -> bool:
    return accounts.find_user_by_email(DEMO_LOGINS[0][1]) is not None


def seed_demo(seed=DEFAULT_SEED) -> DemoSummary | None:
    """Seed the demo jam unless the database already has campaigns; return what was made.

    Runs inside an app context. Returns None (and writes nothing) when campaigns exist.
    """
    if demo_present():
        return None
    started = time.perf_counter()
    app = current_app._get_current_object()
    base = utcnow()  # "now", from the app's own clock (tests may have injected one)
    clock = _DemoClock(base)
    previous_clock = app.config.get("CLOCK")
    app.config["CLOCK"] = clock
    try:
        with _relaxed_sqlite_sync():
            _Seeder(random.Random(seed), clock, base).run()
    finally:
        app.config["CLOCK"] = previous_clock
    return DemoSummary(
        people=db.session.scalar(select(func.count()).select_from(User)),
        campaigns=db.session.scalar(select(func.count()).select_from(Campaign)),
        ideas=db.session.scalar(select(func.count()).select_from(Idea)),
        comments=db.session.scalar(select(func.count()).select_from(Comment)),
        votes=db.session.scalar(select(func.count()).select_from(Vote)),
        seconds=time.perf_counter() - started,
    )


@contextmanager
def _relaxed_sqlite_sync():
    """On SQLite, commit with synchronous=NORMAL while seeding, then restore the setting.

    Every domain call commits, and app.database syncs each commit to disk (FULL): for
    the seed's ~800 commits that is half the time on a file database. With WAL, NORMAL
    still never corrupts the database; at worst a power cut loses the last commits of
    a demo that can be seeded again. Connections get their own setting back on check-in.
    """
    engine = db.engine
    if engine.dialect.name != "sqlite":
        yield
        return

    def relax(dbapi_connection, record, _proxy):
        cursor = dbapi_connection.cursor()
        record.info.setdefault("demo_synchronous",
                               cursor.execute("PRAGMA synchronous").fetchone()[0])
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def restore(dbapi_connection, record):
        previous = record.info.pop("demo_synchronous", None)
        if previous is not None and dbapi_connection is not None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA synchronous={int(previous)}")
            cursor.close()

    event.listen(engine, "checkout", relax)
    event.listen(engine, "checkin", restore)
    try:
        yield
    finally:
        db.session.rollback()  # hand the connection back (nothing is pending: all committed)
        event.remove(engine, "checkout", relax)
        event.remove(engine, "checkin", restore)


class _Seeder:
    """Plans the jam's history as timed events, then replays them in order through the domain."""

    def __init__(self, rng, clock, base):
        self.rng, self.clock, self.base = rng, clock, base
        # Campaigns start and end on the hour, as an admin would set them.
        self.hour = base.replace(minute=0, second=0, microsecond=0)
        self.events = []
        self.seq = itertools.count()
        self.user_ids = {}      # email -> id
        self.campaign_ids = {}  # key -> id
        self.idea_ids = {}      # (campaign key, index) -> id
        self.idea_appeal = {}   # idea id -> how much people like it, for comparing pairs
        self.comment_ids = {}   # comment key -> id
        self.password_hash = None  # the admin's, shared by every demo account

    # -- replay --------------------------------------------------------------------------

    def at(self, when, action):
        heapq.heappush(self.events, _Event(when, next(self.seq), action))

    def run(self):
        self.plan_people()
        for spec in CAMPAIGNS:
            self.plan_campaign(spec)
        while self.events:
            step = heapq.heappop(self.events)
            self.clock.now = step.at
            step.action()
        self.clock.now = self.base
        for spec in CAMPAIGNS:
            if spec.key in self.campaign_ids and spec.ideas:
                comparisons.refresh_ranking(self.campaign_ids[spec.key])
        self.moderate_launch()

    def user(self, email):
        return db.session.get(User, self.user_ids[email])

    # -- people --------------------------------------------------------------------------

    def plan_people(self):
        admin, *others = PEOPLE
        start = self.base - timedelta(days=60)
        self.at(start, lambda: self.register_admin(admin))
        for n, person in enumerate(others, start=1):
            self.at(start + timedelta(hours=5 * n, minutes=self.rng.randint(0, 59)),
                    lambda person=person: self.register(person))
        promote_at = start + timedelta(days=10)
        for n, person in enumerate(p for p in others if p.role is not PARTICIPANT):
            self.at(promote_at + timedelta(minutes=3 * n), lambda person=person: self.promote(person))
        closed_end = next(c for c in CAMPAIGNS if c.key == "care").ends
        for person in PEOPLE:
            if person.leaves:
                self.at(self.hour + closed_end + timedelta(days=2),
                        lambda person=person: self.deactivate(person))

    def register_admin(self, person):
        """The first account goes through the real registration path (create_admin), which
        validates it and hashes the shared password: the one scrypt hash of the seed."""
        user = accounts.find_user_by_email(person.email)  # left by an interrupted seed
        if user is None:
            user = accounts.create_admin(email=person.email, display_name=person.name,
                                         password=DEMO_PASSWORD)
            accounts.update_profile(user, display_name=person.name, department=person.department,
                                    country=person.country, locale=person.locale,
                                    timezone=person.timezone)
        self.password_hash = user.password_hash
        self.user_ids[person.email] = user.id

    def register(self, person):
        """Everyone else is written directly, with the admin's password hash.

        register_user would hash the same password again with scrypt, about 0.2 s a
        person (5-7 s for the cast, as long as the rest of the seed together), so the
        rows are written as tests/factories.py does. tests/domain/test_demo.py checks
        the cast against the rules registration applies (email, country, language and
        time zone). Roles are then given by the admin through accounts.update_person.
        """
        user = accounts.find_user_by_email(person.email)  # left by an interrupted seed
        if user is None:
            user = User(email=person.email, display_name=person.name,
                        password_hash=self.password_hash, role=Role.PARTICIPANT,
                        kind=person.kind, department=person.department,
                        country=person.country, locale=person.locale,
                        timezone=person.timezone, created_at=self.clock.now)
            db.session.add(user)
            db.session.commit()
        self.user_ids[person.email] = user.id

    def promote(self, person):
        accounts.update_person(self.user(PEOPLE[0].email), self.user_ids[person.email],
                               role=person.role, kind=person.kind)

    def deactivate(self, person):
        accounts.update_person(self.user(PEOPLE[0].email), self.user_ids[person.email],
                               active=False)

    # -- campaigns -----------------------------------------------------------------------

    def plan_campaign(self, spec):
        base, hour = self.base, self.hour
        self.at(hour + spec.created, lambda: self.create_campaign(spec))
        if not spec.ideas:
            return
        starts, ends = hour + spec.starts, hour + spec.ends
        # Activity happens while the campaign is open and never after "now".
        last = min(ends, base) - timedelta(minutes=3)
        span = last - starts
        players = [p for p in PEOPLE if p.kind in spec.audience and p.role is not EXECUTIVE
                   and (not p.leaves or ends <= base)]
        order = list(range(len(spec.ideas)))
        self.rng.shuffle(order)
        # Ideas arrive front-loaded: most in the first days, a trickle towards the end.
        times = sorted(starts + timedelta(minutes=20) + span * 0.85 * self.rng.random() ** 1.4
                       for _ in order)
        for index, posted in zip(order, times):
            self.plan_idea(spec, index, spec.ideas[index], posted, last, players)
        # Comparing pairs: people drop by a few times, once there are ideas to compare.
        if spec.voting_mode is not VotingMode.UP_DOWN:
            for person in players:
                for _ in range(self.rng.choice([0, 1, 1, 2, 3])):
                    when = self.later(starts + span * 0.3, last, skew=1.0)
                    self.at(when, lambda person=person: self.compare(spec, person))

    def create_campaign(self, spec):
        campaign = campaigns.create_campaign(
            self.user(PEOPLE[0].email), title=spec.title, question=spec.question,
            description=spec.description, starts_at=self.hour + spec.starts,
            ends_at=self.hour + spec.ends, audience=spec.audience, is_private=spec.is_private,
            voting_mode=spec.voting_mode)
        self.campaign_ids[spec.key] = campaign.id

    # -- ideas, comments, votes ----------------------------------------------------------

    def later(self, after, last, skew=2.0):
        """A time between ``after`` and ``last``, more likely soon after ``after``."""
        if after >= last:
            return last
        return after + (last - after) * self.rng.random() ** skew

    def pick(self, people, chinese, lang_bias=0.85):
        """Someone to act, preferring people who read the idea's language."""
        same = [p for p in people if (p.locale == "zh_Hant") == chinese]
        pool = same if same and self.rng.random() < lang_bias else people
        return self.rng.choice(pool)

    def plan_idea(self, spec, index, idea, posted, last, players):
        rng = self.rng
        key = (spec.key, index)
        authors = [p for p in players if p.kind is idea.by] or players
        author = self.pick(authors, idea.chinese, lang_bias=0.95)
        self.at(posted, lambda: self.submit(spec, key, author, idea))
        others = [p for p in players if p is not author]

        if idea.update:
            self.at(min(posted + timedelta(hours=rng.uniform(1, 8)), last),
                    lambda: self.edit(key, author, idea))

        # Votes: a few ideas draw most of them; "split" ideas divide opinion.
        if idea.heat == "hot":
            up, down = rng.uniform(0.45, 0.6), rng.uniform(0.0, 0.05)
        elif idea.heat == "warm":
            up, down = rng.uniform(0.15, 0.25), rng.uniform(0.0, 0.04)
        elif idea.heat == "split":
            up, down = rng.uniform(0.12, 0.2), rng.uniform(0.1, 0.15)
        else:
            up, down = 0.01 + 0.08 * rng.random() ** 3, rng.choice([0.0, 0.0, 0.01, 0.025])
        for voter in (others if spec.voting_mode is not VotingMode.PAIRWISE else ()):
            roll = rng.random()
            value = 1 if roll < up else -1 if roll < up + down else 0
            if value:
                when = self.later(posted + timedelta(minutes=2), last, skew=1.6)
                self.at(when, lambda voter=voter, value=value: self.vote(key, voter, value))
                if rng.random() < 0.04:  # a change of mind: withdraw, or turn the vote around
                    self.at(self.later(when + timedelta(minutes=1), last),
                            lambda voter=voter, value=rng.choice([0, -value]):
                            self.vote(key, voter, value))

        # Comments, roughly following the votes; some replies, some from the author.
        talk = {"hot": 2.8, "split": 2.0, "warm": 1.4}.get(idea.heat, 0.2)
        for n in range(max(0, round(rng.gauss(talk, 1.0)))):
            commenter = self.pick(others, idea.chinese)
            when = self.later(posted + timedelta(minutes=5), last)
            ckey = (key, n)
            text = rng.choice(COMMENTS_ZH if self._writes_zh(commenter, idea) else COMMENTS_EN)
            self.at(when, lambda c=commenter, t=text, k=ckey: self.comment(key, k, c, t))
            for m in range(rng.choice([0, 0, 0, 1, 1, 2])):
                replier = (author if m == 0 and rng.random() < 0.5 else
                           self.pick([p for p in players if p is not commenter], idea.chinese))
                reply_at = self.later(when + timedelta(minutes=3), last, skew=3.0)
                text = rng.choice(REPLIES_ZH if self._writes_zh(replier, idea) else REPLIES_EN)
                self.at(reply_at, lambda r=replier, t=text, k=ckey, m=m:
                        self.comment(key, (k, m), r, t, parent=k))
            if rng.random() < 0.02:  # second thoughts: the commenter deletes it again
                self.at(self.later(when + timedelta(minutes=1), last),
                        lambda c=commenter, k=ckey: self.delete_comment(k, c))

        # A couple of people follow an idea they like without commenting.
        for follower in rng.sample(others, k={"hot": 3, "warm": 1}.get(idea.heat, 0)):
            self.at(self.later(posted + timedelta(minutes=10), last),
                    lambda f=follower: ideas.follow_idea(self.user(f.email), self.idea_ids[key]))

    def _writes_zh(self, person, idea):
        """Mostly the idea's language; now and then a bilingual person answers in their own."""
        if self.rng.random() < 0.85:
            return idea.chinese
        return person.locale == "zh_Hant"

    def submit(self, spec, key, author, idea):
        created = ideas.submit_idea(self.user(author.email), self.campaign_ids[spec.key],
                                    title=idea.title, body=idea.body, tags=list(idea.tags))
        self.idea_ids[key] = created.id
        self.idea_appeal[created.id] = {"hot": 2.0, "warm": 1.0, "split": 0.3}.get(idea.heat, 0.0)

    def moderate_launch(self):
        """Today's moderation in the open jam: its rules, a duplicate merged, a queue to work."""
        launch = self.campaign_ids["launch"]
        moderator = self.user(demo_email("moderator"))
        rules.update_campaign_rules(moderator, launch, code_of_conduct=LAUNCH_CONDUCT,
                                    premoderated_kinds=[], ideas_per_hour=10,
                                    comments_per_minute=5, flags_per_day=20)
        customer = self.user(demo_email("customer"))
        porting = next(idea_id for (key, _), idea_id in self.idea_ids.items()
                       if key == "launch" and db.session.get(Idea, idea_id).title == "Self-service number porting")
        duplicate = ideas.submit_idea(
            customer, launch, title="Let me move my number to you online",
            body="I wanted to switch but the store was closed. Why can't I port my number on the website?",
            tags=["porting"], accept_code_of_conduct=True)
        for voter in ("staff", "partner", "aiko.tanaka"):
            votes.cast_vote(self.user(demo_email(voter)), duplicate.id, 1)
        merges.merge_idea(moderator, duplicate.id, into=porting,
                          note="Same idea as “Self-service number porting”: votes and comments moved there.")
        # Something for the queue: an off-topic post flagged by three people, a rude comment.
        seller = self.user(demo_email("kenji.sato"))
        offtopic = ideas.submit_idea(seller, launch, title="Cheap phone cases, 50% off this week",
                                     body="Visit our shop for the best cases in town!", tags=["sale"],
                                     accept_code_of_conduct=True)
        for flagger in ("staff", "emma.clarke", "staff.zh"):
            flags.flag_idea(self.user(demo_email(flagger)), offtopic.id, reason="off_topic")
        target = db.session.get(Idea, porting)
        rude = comments.add_comment(self.user(demo_email("marcus.lee")), target.id,
                                    body="Only an idiot would still go to a store for this.",
                                    accept_code_of_conduct=True)
        flags.flag_comment(self.user(demo_email("olivia.brown")), rude.id, reason="abusive",
                           note="Calls customers idiots.")
        self.shortlist_launch(launch, moderator)

    def shortlist_launch(self, launch, moderator):
        """The board mid-jam: a scorecard, the front-runners shortlisted and partly reviewed,
        a few under review, one decided."""
        criteria = reviews.set_review_criteria(moderator, launch, [
            {"name": "Impact", "weight": 3}, {"name": "Feasibility", "weight": 2},
            {"name": "Cost", "weight": 1}])
        ranked = ideas.list_ideas(moderator, launch, sort="best", per_page=10).items
        leaders, next_up = ranked[:5], ranked[5:8]
        reviews.move_ideas(moderator, [i.id for i in leaders], status="shortlisted",
                           note="Strong support from participants.")
        reviews.move_ideas(moderator, [i.id for i in next_up], status="under_review")
        reviewers = [self.user(demo_email(name)) for name in ("chen.zhiming", "huang.meiling", "aiko.tanaka")]
        for n, idea in enumerate(leaders):
            panel = [r for r in reviewers if r.id != idea.author_id][:2 if n % 2 else 3]
            reviews.assign_reviewers(moderator, idea.id, [r.id for r in panel])
            for reviewer in panel[: len(panel) - (n % 2)]:
                reviews.submit_review(reviewer, idea.id, scores={
                    c.id: max(1, min(5, 5 - n // 2 - self.rng.randint(0, 1) + (c.name == "Cost")))
                    for c in criteria})
        winner = leaders[0]
        reviews.record_decision(moderator, winner.id, outcome="selected",
                                owner_id=self.user(demo_email("chen.zhiming")).id,
                                note="Pilot with two product lines next quarter; the owner reports back at the launch board.")

    def compare(self, spec, person):
        """A sitting of a few pairs; the more appealing idea usually wins, sometimes a skip."""
        user = self.user(person.email)
        pairs = np.random.default_rng(self.rng.randrange(2**32))
        for _ in range(self.rng.randint(3, 8)):
            try:
                pair = comparisons.serve_pair(user, self.campaign_ids[spec.key], rng=pairs)
            except NoPairLeft:
                break
            gap = self.idea_appeal[pair.left_idea_id] - self.idea_appeal[pair.right_idea_id]
            if self.rng.random() < 0.12 * math.exp(-abs(gap)):
                comparisons.answer_comparison(user, pair.id, "skip")
            else:
                left_wins = self.rng.random() < 1 / (1 + math.exp(-gap))
                comparisons.answer_comparison(user, pair.id, "left" if left_wins else "right")
        # As the server does a few seconds after answers arrive.
        comparisons.refresh_ranking(self.campaign_ids[spec.key])

    def edit(self, key, author, idea):
        current = db.session.get(Idea, self.idea_ids[key])
        tags = [t.name for t in current.tags] + ([idea.add_tag] if idea.add_tag else [])
        ideas.edit_idea(self.user(author.email), current.id, title=current.title,
                        body=f"{current.body}\n\n{idea.update}", tags=tags)

    def vote(self, key, voter, value):
        votes.cast_vote(self.user(voter.email), self.idea_ids[key], value)

    def comment(self, key, ckey, person, text, parent=None):
        parent_id = self.comment_ids.get(parent) if parent is not None else None
        if parent is not None and parent_id is None:
            return  # the comment it answers was never written
        created = comments.add_comment(self.user(person.email), self.idea_ids[key], body=text,
                                       parent_id=parent_id)
        self.comment_ids[ckey] = created.id

    def delete_comment(self, ckey, person):
        comments.delete_comment(self.user(person.email), self.comment_ids[ckey])
