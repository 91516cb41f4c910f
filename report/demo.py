"""A demo report to explore jixiao with: a fictional 街道办事处, the sample report's figures, own prose.

It answers every step of the eight-part template and is deliberately imperfect, as real drafts
are: a self-claimed 100 points despite a 99.24% 执行率, no 时效指标 although the text declares
them, a rate filed under 数量指标, and two unmet indicators (one without a 偏差原因) — so the
checks have something real to say.
"""

from __future__ import annotations

from decimal import Decimal

from report.model import (
    BudgetLine,
    Funds,
    Grade,
    Indicator,
    Level2,
    MoneyUnit,
    Nature,
    Operator,
    QualGrade,
    Report,
)

DEMO_TITLE = "2020年度青岚街道工作经费项目支出绩效自评报告"

_BUDGET_LINES: tuple[tuple[str, str, str], ...] = (
    ("党群工作办公室经费", "49", "党员教育培训、党建阵地维护和群团活动"),
    ("党政综合办公室运行及设备购置经费", "185.03", "机关日常运转、办公设备和家具购置、网络与监控运维"),
    ("经济服务办公室经费", "20", "企业走访服务、招商引资和科普宣传"),
    ("平安建设办公室经费", "29.7", "综治维稳、普法宣传和矛盾纠纷排查调处"),
    ("社区治理办公室经费", "25", "社区建设、居民自治和社区工作者培训"),
    ("社会保障服务中心经费", "42.57", "民政救助、就业培训和社保经办服务"),
    ("城市管理服务中心经费", "34", "市容环境整治、数字城管案件办理和环卫设施维护"),
    ("综合行政执法队经费", "31", "安全生产检查、应急物资储备和应急演练"),
    ("文化教育服务中心经费", "30", "社区教育培训和群众文体活动"),
    ("农业农村服务中心经费", "21", "农技推广、河道保洁和森林防火"),
    ("便民服务中心经费", "16", "政务服务大厅运行和审批系统维护"),
)


def _indicators() -> list[Indicator]:
    ge, le, eq, qual = Operator.GE, Operator.LE, Operator.EQ, Operator.QUALITATIVE
    return [
        Indicator("开展干部职工业务培训", Level2.QUANTITY, operator=ge, target="800", unit="人次",
                  actual="860", weight=Decimal(7)),
        Indicator("组织社区文体活动", Level2.QUANTITY, operator=ge, target="20", unit="场",
                  actual="24", weight=Decimal(6)),
        Indicator("办理网格化城市管理案件", Level2.QUANTITY, operator=ge, target="50000", unit="件",
                  actual="48620", weight=Decimal(6),
                  deviation_reason="市容环境改善后上报案件减少；下年度按近三年平均数测算目标值"),
        # a rate filed under 数量指标, unmet, with no 偏差原因: three findings in one row
        Indicator("群众来访诉求解决率", Level2.QUANTITY, operator=ge, target="80", unit="%",
                  actual="73.3", weight=Decimal(6)),
        Indicator("网格案件按期结案率", Level2.QUALITY, operator=ge, target="98", unit="%",
                  actual="99.5", weight=Decimal(7)),
        Indicator("矛盾纠纷调处成功率", Level2.QUALITY, operator=ge, target="95", unit="%",
                  actual="100", weight=Decimal(6)),
        Indicator("办公设备采购验收合格率", Level2.QUALITY, operator=eq, target="100", unit="%",
                  actual="100", weight=Decimal(5)),
        Indicator("年度工作经费支出", Level2.COST, operator=le, target="487", unit="万元",
                  actual="483.3", weight=Decimal(7)),
        Indicator("辖区规模以上企业复工复产率", Level2.ECONOMIC, operator=ge, target="95", unit="%",
                  actual="100", weight=Decimal(8)),
        Indicator("辖区治安环境", Level2.SOCIAL, nature=Nature.QUALITATIVE, operator=qual,
                  target=QualGrade.MET.value, actual=QualGrade.MET.value, weight=Decimal(10),
                  score=Decimal(10)),
        Indicator("生活垃圾清运率", Level2.ECOLOGICAL, operator=ge, target="98", unit="%",
                  actual="100", weight=Decimal(6)),
        Indicator("基层治理长效机制建设", Level2.SUSTAINABLE, nature=Nature.QUALITATIVE, operator=qual,
                  target=QualGrade.MET.value, actual=QualGrade.PARTLY.value, weight=Decimal(6),
                  score=Decimal("4.2"), deviation_reason="社区议事协商制度仍在试行，尚未在全部社区推开"),
        Indicator("辖区群众满意度", Level2.SATISFACTION, operator=ge, target="90", unit="%",
                  actual="96", weight=Decimal(10)),
    ]  # fmt: skip


_ANSWERS: dict[str, str] = {
    "overview.background": (
        "青岚街道工作经费是区财政每年安排给街道办事处的综合性项目经费，保障党建、机关运转、经济服务、"
        "平安建设、社区治理、社会保障、城市管理、综合执法、文化教育、农业农村和便民服务十一个方面的工作。"
        "项目由街道办事处统一组织，各办公室和服务中心按职责具体实施。"
    ),
    "funds.has_carried_over": "没有",
    "funds.has_other": "没有",
    "results.summary": (
        "全年共设置绩效指标13项，其中10项达到或超过年度目标，2项数量指标未达到目标，1项定性指标部分达成。"
    ),
    "work.purpose": (
        "通过自评，检查街道工作经费是否按预算用途使用、年度绩效目标是否实现，"
        "找出资金使用和项目管理中的薄弱环节，为下一年度编制预算和改进管理提供依据。"
    ),
    "work.basis.principles": (
        "坚持实事求是、客观公正，以财务账目、工作台账和统计数据为依据，定量评价与定性评价相结合，"
        "评价结果与下年度预算安排相衔接。"
    ),
    "work.basis.indicators": (
        "按照项目支出绩效自评表设置指标体系：预算执行率10分；产出指标50分，包括数量、质量、时效和成本指标；"
        "效益指标30分，包括经济效益、社会效益、生态效益和可持续影响指标；服务对象满意度指标10分。"
    ),
    "work.basis.methods": (
        "采用目标比较法，将各项指标的实际完成值与年初目标值逐项对照计分，辅以查阅资料和现场核实；"
        "满意度指标通过问卷调查取得。"
    ),
    "work.process.preparation": (
        "街道成立以办事处主任为组长的自评工作小组，由财政所牵头，各办公室和服务中心各确定一名联络员；"
        "小组学习了区财政局关于开展年度绩效自评的通知，制定了自评工作安排。"
    ),
    "work.process.implementation": (
        "各办公室和服务中心对照年初绩效目标整理工作台账和支出凭证，财政所核对账面支出数据，"
        "自评小组抽查了网格案件办理记录和办公设备验收资料。"
    ),
    "work.process.analysis": (
        "自评小组汇总各科室报送的资料，逐项计算指标完成情况并打分，对未完成的指标分析原因，形成本报告。"
    ),
    "analysis.funds.arrival": (
        "区财政年初批复预算487万元，全年按用款计划足额拨付，资金到位率100%，"
        "没有出现因资金不到位影响工作的情况。"
    ),
    "analysis.funds.use": (
        "全年共支出483.3万元，预算执行率99.24%。支出主要用于各科室日常工作、办公设备购置和服务采购，"
        "均在批复的用途范围内。"
    ),
    "analysis.funds.management": (
        "街道执行财务管理制度和“三重一大”集体决策制度，各项支出由经办科室提出、分管领导审核、主要领导审批；"
        "大额支出事先经主任办公会研究。全年未发现违规使用资金的情况。"
    ),
    "analysis.implementation.organisation": (
        "年初将经费和工作任务一并分解到十一个办公室和服务中心，分管领导负责督促，财政所按月通报支出进度。"
    ),
    "analysis.implementation.management": (
        "各科室建立工作台账，重点工作实行月调度；采购事项按政府采购规定办理，服务类项目签订合同并按合同验收付款。"
    ),
    "analysis.performance.cost_control": (
        "全年支出未超出预算总额，未发生超范围支出；会议、培训、差旅和公务接待按区级标准执行。"
    ),
    "analysis.performance.savings": (
        "支出比预算少3.7万元，执行率99.24%；结余主要来自办公设备集中采购，成交价格低于预算。"
    ),
    "analysis.performance.progress": (
        "各项工作基本按季度计划推进；第二季度受疫情影响，部分培训和文体活动延后，下半年已补齐。"
    ),
    "analysis.performance.quality": (
        "网格案件按期结案率99.5%，矛盾纠纷调处成功率100%，办公设备验收合格率100%，质量指标均达到年度目标。"
    ),
    "analysis.performance.goal_completion": (
        "13项绩效指标中10项达到目标；网格案件办理量完成目标的97.24%，来访诉求解决率73.3%，低于80%的目标；"
        "基层治理长效机制部分建立。"
    ),
    "analysis.performance.impact": (
        "企业复工复产服务保障了辖区经济平稳恢复，城市环境和治安秩序保持良好，便民服务事项办理更加方便，"
        "群众满意度调查结果为96%。"
    ),
    "conclusion.text": "项目资金使用规范，大部分绩效目标已经实现，总体效果较好；个别数量指标未完成，指标设置有待细化。",
    "application": (
        "评价结果将作为下年度街道工作经费预算编制的依据，对未完成的指标调整工作安排；"
        "本报告按规定在街道政务公开栏公开。"
    ),
    "lessons.experience": (
        "一是年初将经费和任务同时分解到科室，责任清楚；二是财政所按月通报支出进度，避免年底集中支出。"
    ),
    "lessons.problems": (
        "一是部分指标的目标值测算依据不足，如网格案件办理量直接沿用上年数据；"
        "二是来访诉求解决率未达到目标，部分诉求涉及历史遗留问题；三是缺少反映完成时限的指标。"
    ),
    "lessons.suggestions": "下年度按实际工作量测算指标值，增设时效指标；对来访诉求实行分类办理和跟踪回访。",
    "other": "无。",
}


def build_demo_report() -> Report:
    """A complete eight-part demo report in 万元: budget 487, spent 483.3, eleven lines summing to 483.30."""
    return Report(
        title=DEMO_TITLE,
        unit_name="云溪区青岚街道办事处",
        department="云溪区人民政府",
        year=2020,
        template_id="eight_part",
        money_unit=MoneyUnit.WAN,
        funds=Funds(
            initial_budget=Decimal(487),
            annual_budget=Decimal(487),
            actual_spent=Decimal("483.3"),
            received=Decimal(487),
            fiscal_current=Decimal(487),
        ),
        budget_lines=[BudgetLine(name, Decimal(amount), purpose) for name, amount, purpose in _BUDGET_LINES],
        overall_goal=(
            "保障街道机关和各办公室、服务中心正常运转，完成年度党建、城市管理、平安建设、社会事务和便民服务等"
            "重点任务，做好疫情防控和企业复工复产服务，辖区群众满意度不低于90%。"
        ),
        overall_goal_actual=(
            "机关和各科室全年运转正常，疫情防控和复工复产服务有序开展，大部分年度任务按计划完成；"
            "网格案件办理量和来访诉求解决率未达到年初目标，群众满意度调查结果为96%。"
        ),
        stage_goals=(
            "第一季度分解年度任务和经费预算，落实疫情防控措施；第二季度推进企业复工复产服务，完成办公设备采购；"
            "第三季度开展城市环境整治和矛盾纠纷集中排查；第四季度完成全年各项任务，组织绩效自评。"
        ),
        indicators=_indicators(),
        answers=dict(_ANSWERS),
        claimed_total=Decimal(100),
        claimed_grade=Grade.EXCELLENT,
    )
