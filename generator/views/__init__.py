"""View models: exactly what each template shows, already formatted.

Templates never see schema records or catalog objects; they get these
dataclasses, whose strings are final (money formatted once by
:func:`generator.money.format_usd`, Markdown rendered safely by
:mod:`generator.text`, code highlighted by Pygments). That keeps logic out of
templates and makes every number on a page come from one place.
"""

from __future__ import annotations

from .common import ALWAYS_SHOWN as ALWAYS_SHOWN
from .common import CAPABILITY_LABELS as CAPABILITY_LABELS
from .common import CARD_DIMENSIONS as CARD_DIMENSIONS
from .common import CARD_LABELS as CARD_LABELS
from .common import EXAMPLE as EXAMPLE
from .common import ROWS as ROWS
from .common import STATUS_LABELS as STATUS_LABELS
from .common import UNKNOWN as UNKNOWN
from .common import calc_view as calc_view
from .common import cell as cell
from .common import compare_url as compare_url
from .common import contributing_url as contributing_url
from .common import dataset_name as dataset_name
from .common import disputes as disputes
from .common import edit_url as edit_url
from .common import keep_rows_in as keep_rows_in
from .common import model_label as model_label
from .common import model_rows as model_rows
from .common import model_specs as model_specs
from .common import new_file_url as new_file_url
from .common import offering_row as offering_row
from .common import short_tokens as short_tokens
from .common import sources as sources
from .common import tabs_for as tabs_for
from .common import tokens as tokens
from .common import unknown as unknown
from .listings import HOME_ROWS as HOME_ROWS
from .listings import compare_view as compare_view
from .listings import filters as filters
from .listings import home_view as home_view
from .listings import not_found_view as not_found_view
from .listings import search_view as search_view
from .offering import offering_view as offering_view
from .records import creator_view as creator_view
from .records import model_view as model_view
from .records import provider_view as provider_view
from .sources import audit_view as audit_view
from .sources import credits_view as credits_view
from .types import AuditRow as AuditRow
from .types import AuditView as AuditView
from .types import CalcRow as CalcRow
from .types import CalcView as CalcView
from .types import Choice as Choice
from .types import CreatorView as CreatorView
from .types import CreditsView as CreditsView
from .types import DatasetCredit as DatasetCredit
from .types import Faq as Faq
from .types import Filters as Filters
from .types import HistoryRow as HistoryRow
from .types import HomeView as HomeView
from .types import Link as Link
from .types import ModelView as ModelView
from .types import OfferingRow as OfferingRow
from .types import OfferingView as OfferingView
from .types import Page as Page
from .types import PriceCell as PriceCell
from .types import PriceRow as PriceRow
from .types import ProviderView as ProviderView
from .types import Tab as Tab
from .types import ToolView as ToolView
