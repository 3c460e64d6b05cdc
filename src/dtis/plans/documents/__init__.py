"""Official documents of plans and reports: DOCX in the Decree 30/2020/NĐ-CP
layout (`decree`), XLSX workbooks (`workbook`).

- `plan_docx(plan)` / `plan_xlsx(plan)`: the improvement plan and its appendix.
- `report_docx(report)` / `report_xlsx(report)`: a quarterly or yearly report
  gathered by `dtis.plans.reports`.
"""

from __future__ import annotations

from dtis.plans.documents.plan import plan_docx, plan_xlsx
from dtis.plans.documents.report import report_docx, report_xlsx

__all__ = ["plan_docx", "plan_xlsx", "report_docx", "report_xlsx"]
