"""Loading the packaged templates, and every way a template file can be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts.templates import (
    ROW_COMMANDS_HINT,
    StepKind,
    Template,
    TemplateError,
    available_templates,
    load_template,
    load_template_file,
)
from report.model import Level2
from report.outline import Block, BlockKind


def headings(template: Template) -> dict[str, str]:
    return {section.key: section.heading for section in template.outline.walk()}


def test_both_outlines_are_available() -> None:
    assert available_templates() == [
        ("eight_part", "八部分提纲（参考提纲）"),
        ("seven_part_2020", "七部分提纲（财预〔2020〕10号）"),
    ]


def test_eight_part_outline_has_eight_numbered_parts() -> None:
    template = load_template("eight_part")
    top = [section.heading for section in template.outline.sections]
    assert top == [
        "一、基本情况",
        "二、项目单位绩效报告情况",
        "三、绩效评价工作情况",
        "四、绩效评价指标分析情况",
        "五、综合评价情况及评价结论",
        "六、绩效评价结果应用建议",
        "七、主要经验及做法、存在的问题和建议",
        "八、其他需说明的问题",
    ]
    shown = headings(template)
    assert shown["analysis.performance"] == "（三）项目绩效情况分析"
    assert shown["analysis.performance.efficiency"] == "2.项目效率性分析"
    assert shown["analysis.performance.economy.savings"] == "（2）项目成本（预算）节约情况"
    assert shown["work.basis.methods"] == "3.评价方法"
    assert template.outline.find("analysis.performance.economy.savings") is not None
    assert template.outline.find("analysis.performance.economy.savings").depth == 4  # type: ignore[union-attr]


def test_seven_part_outline_puts_the_conclusion_third() -> None:
    template = load_template("seven_part_2020")
    top = [section.heading for section in template.outline.sections]
    assert len(top) == 7
    assert top[2] == "三、综合评价情况及评价结论"
    assert top[6] == "七、其他需要说明的问题"
    shown = headings(template)
    assert shown["analysis.output"] == "（三）项目产出情况"
    assert shown["analysis.benefit"] == "（四）项目效益情况"


def test_loading_is_cached() -> None:
    assert load_template("eight_part") is load_template("eight_part")


@pytest.mark.parametrize("template_id", ["eight_part", "seven_part_2020"])
def test_every_step_belongs_to_a_section_and_ids_are_unique(template_id: str) -> None:
    template = load_template(template_id)
    keys = {section.key for section in template.outline.walk()}
    assert all(step.section in keys for step in template.steps)
    assert len({step.id for step in template.steps}) == len(template.steps)
    assert all(step.question and step.hint for step in template.steps)


@pytest.mark.parametrize("template_id", ["eight_part", "seven_part_2020"])
def test_every_category_is_asked_once(template_id: str) -> None:
    template = load_template(template_id)
    asked = [step.level2 for step in template.steps if step.kind is StepKind.INDICATORS]
    assert sorted(asked, key=list(Level2).index) == list(Level2)  # type: ignore[arg-type]


def test_blocks_are_derived_from_the_steps() -> None:
    outline = load_template("eight_part").outline
    project = outline.find("overview.project")
    assert project is not None
    assert project.blocks == (
        Block(BlockKind.PROSE, "overview.background"),
        Block(BlockKind.FUNDS),
        Block(BlockKind.BUDGET_LINES),
    )
    results = outline.find("results")
    assert results is not None
    assert [b.kind for b in results.blocks].count(BlockKind.INDICATORS) == 1
    savings = outline.find("analysis.performance.economy.savings")
    assert savings is not None
    assert savings.blocks[0] == Block(BlockKind.EXECUTION)
    conclusion = outline.find("conclusion")
    assert conclusion is not None
    assert Block(BlockKind.SCORE) in conclusion.blocks
    goals = outline.find("overview.goals.overall")
    assert goals is not None
    assert goals.blocks == (Block(BlockKind.OVERALL_GOAL),)


def test_seven_part_indicator_blocks_name_their_categories() -> None:
    outline = load_template("seven_part_2020").outline
    output = outline.find("analysis.output")
    benefit = outline.find("analysis.benefit")
    assert output is not None and benefit is not None
    assert output.blocks[0] == Block(BlockKind.INDICATORS, "数量指标,质量指标,时效指标,成本指标")
    assert benefit.blocks[0].key.endswith("服务对象满意度指标")


def test_row_steps_tell_the_user_the_row_commands() -> None:
    template = load_template("eight_part")
    for step in template.steps:
        if step.is_rows:
            assert ROW_COMMANDS_HINT in step.hint, step.id


def test_a_carried_over_amount_is_asked_only_on_condition() -> None:
    step = load_template("eight_part").step("funds.carried_over")
    assert step.when is not None
    assert step.when_text == 'answers.funds.has_carried_over == "有"'


# refused templates ------------------------------------------------------------------------------

MINIMAL = """
id = "mini"
name = "最小模板"

[[section]]
key = "a"
title = "甲"
level = 1

[[section.step]]
id = "a.has"
kind = "choice"
question = "有没有？"
choices = ["有", "没有"]

[[section.step]]
id = "a.amount"
kind = "money"
field = "funds.carried_over"
question = "多少？"
when = 'answers.a.has == "有"'
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mini.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refuse(tmp_path: Path, text: str) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        load_template_file(write(tmp_path, text))
    assert caught.value.file.endswith("mini.toml")
    return caught.value


def test_the_minimal_template_loads(tmp_path: Path) -> None:
    template = load_template_file(write(tmp_path, MINIMAL))
    assert [step.id for step in template.steps] == ["a.has", "a.amount"]
    assert template.step("a.has").field == "answers.a.has"
    assert template.outline.sections[0].heading == "一、甲"


def test_bad_toml(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL + "\n[[section\n")
    assert "不是合法的 TOML" in error.problem


def test_unknown_kind(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('kind = "money"', 'kind = "monie"'))
    assert error.where == "步骤 a.amount"
    assert "未知的类型“monie”" in error.problem
    assert "mini.toml：步骤 a.amount：" in str(error)


def test_missing_question(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('question = "多少？"\n', ""))
    assert error.where == "步骤 a.amount"
    assert error.problem == "缺少 question"


def test_duplicate_step_id(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('id = "a.amount"', 'id = "a.has"'))
    assert error.where == "步骤 a.has"
    assert "id 重复" in error.problem


def test_unknown_field(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace("funds.carried_over", "funds.carryover"))
    assert error.where == "步骤 a.amount"
    assert "字段“funds.carryover”不存在" in error.problem


def test_field_that_does_not_suit_the_kind(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('field = "funds.carried_over"', 'field = "title"'))
    assert "类型 money 不能写入字段“title”" in error.problem


def test_money_step_without_field(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('field = "funds.carried_over"\n', ""))
    assert "必须指定 field" in error.problem


def test_two_steps_writing_one_field(tmp_path: Path) -> None:
    extra = '\n[[section.step]]\nid = "a.again"\nkind = "money"\nfield = "funds.carried_over"\nquestion = "再问？"\n'
    error = refuse(tmp_path, MINIMAL + extra)
    assert error.where == "步骤 a.again"
    assert "已由步骤 a.amount 填写" in error.problem


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("answers.a.has ==", "不完整"),
        ('answers.a.has > "有"', "只能用 == 或 !="),
        ("__import__('os').system('true')", "无法识别"),
        ('(answers.a.has == "有"', "不完整"),
    ],
)
def test_bad_when_syntax(tmp_path: Path, condition: str, problem: str) -> None:
    text = MINIMAL.replace("""when = 'answers.a.has == "有"'""", f"when = '''{condition}'''")
    error = refuse(tmp_path, text)
    assert error.where == "步骤 a.amount"
    assert "when 条件" in error.problem
    assert problem in error.problem


def test_when_on_a_later_or_unknown_answer(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace("answers.a.has ==", "answers.a.later =="))
    assert "不是前面步骤填写的字段" in error.problem
    error = refuse(tmp_path, MINIMAL.replace("answers.a.has ==", "fund.other =="))
    assert "不存在的字段“fund.other”" in error.problem


def test_choice_without_choices(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('choices = ["有", "没有"]\n', ""))
    assert error.where == "步骤 a.has"
    assert error.problem == "选择题缺少 choices"


def test_grade_choices_must_be_grades(tmp_path: Path) -> None:
    extra = (
        '\n[[section.step]]\nid = "a.grade"\nkind = "choice"\nfield = "claimed_grade"\n'
        'question = "等级？"\nchoices = ["优秀", "良"]\n'
    )
    error = refuse(tmp_path, MINIMAL + extra)
    assert "不能是“优秀”" in error.problem


def test_misspelt_key_is_named(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('question = "多少？"', 'qustion = "多少？"'))
    assert "未知的键“qustion”" in error.problem


def test_unknown_render(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('question = "多少？"', 'question = "多少？"\nrender = "table"'))
    assert "未知的 render “table”" in error.problem


def test_level2_must_be_a_category(tmp_path: Path) -> None:
    extra = '\n[[section.step]]\nid = "a.rows"\nkind = "indicators"\nlevel2 = "数量"\nquestion = "指标？"\n'
    error = refuse(tmp_path, MINIMAL + extra)
    assert error.where == "步骤 a.rows"
    assert "level2 “数量”不是二级指标" in error.problem


def test_a_skipped_level_is_refused(tmp_path: Path) -> None:
    extra = '\n[[section]]\nkey = "a.deep"\ntitle = "深"\nlevel = 3\n\n[[section.step]]\nid = "x"\nkind = "text"\nquestion = "？"\n'
    error = refuse(tmp_path, MINIMAL + extra)
    assert error.where == "章节 a.deep"
    assert "从 1 跳到 3" in error.problem


def test_an_empty_section_is_refused(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL + '\n[[section]]\nkey = "b"\ntitle = "乙"\nlevel = 1\n')
    assert error.where == "章节 b"
    assert "既没有问题" in error.problem


def test_a_section_without_title(tmp_path: Path) -> None:
    error = refuse(tmp_path, MINIMAL.replace('title = "甲"\n', ""))
    assert error.where == "章节 a"
    assert error.problem == "缺少 title"


def test_a_template_without_sections(tmp_path: Path) -> None:
    error = refuse(tmp_path, 'id = "mini"\nname = "空"\n')
    assert "没有任何章节" in error.problem


def test_unknown_packaged_template() -> None:
    with pytest.raises(TemplateError) as caught:
        load_template("nine_part")
    assert caught.value.file == "nine_part.toml"
    assert "eight_part" in caught.value.problem


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        load_template_file(tmp_path / "absent.toml")
    assert "无法读取文件" in caught.value.problem
