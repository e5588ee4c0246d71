"""The schema comes from Alembic migrations, matches the models, and `init` can repeat."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models import Base, Database
from models.migrate import upgrade
from models.search import outside_the_models


def test_migrations_build_exactly_the_models_tables(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"include_name": outside_the_models}), Base.metadata)
    assert diff == []
    assert {"child", "pathway_instance", "human_task", "deadline", "audit_event",
            "diagram_version"} <= set(inspect(db.engine).get_table_names())


def test_upgrading_twice_is_harmless(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'twice.db'}")
    upgrade(db)
    upgrade(db)
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0024"


def test_0023_gives_every_task_its_childs_team(council):
    """A database from before tasks kept their child's team: the upgrade fills it in, for
    open and done tasks alike, so that the team's inboxes miss none of them."""
    from alembic import command
    from sqlalchemy import select

    from engine import complete_task, open_tasks, register_child
    from models import Child, HumanTask
    from models.migrate import alembic_config
    from tests.conftest import child_details

    north = register_child(council, child_details(), "sw", process_id="demo_pathway").child_id
    register_child(council, child_details(reference="S-1", team="South", social_worker="sw_south"),
                   "sw_south", process_id="demo_pathway")
    [ppm] = open_tasks(council, child_id=north)
    complete_task(council, ppm["task_id"], {"held_on": "2026-03-02", "plan": "adoption",
                                          "contingency_plan": "Fostering"}, "sw")
    config = alembic_config()
    with council.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0022")
    upgrade(council)
    with council.transaction() as session:
        rows = session.execute(select(HumanTask.status, HumanTask.team_id, Child.team_id)
                               .join(Child, Child.id == HumanTask.child_id)).all()
    assert sorted(status for status, _, _ in rows) == ["completed", "open", "open"]
    assert all(kept == team and team is not None for _, kept, team in rows)
