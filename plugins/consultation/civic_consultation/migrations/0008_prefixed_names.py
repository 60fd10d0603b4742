"""Constraint and index names prefixed with the app label, so that no other app's can clash.

Indexes are renamed in place (RenameIndex). Django has no operation renaming a constraint:
``RenameConstraint`` below renames it in place on PostgreSQL (where rebuilding the unique index
of a large vote table would lock it for long) and rebuilds it elsewhere (SQLite remakes the
table anyway).
"""

from django.db import migrations, models


class RenameConstraint(migrations.operations.base.Operation):
    reversible = True

    def __init__(self, model_name, old_name, new_name):
        self.model_name = model_name
        self.old_name = old_name
        self.new_name = new_name

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "old_name": self.old_name, "new_name": self.new_name}
        return self.__class__.__qualname__, [], kwargs

    def describe(self):
        return f"Rename constraint {self.old_name} on {self.model_name} to {self.new_name}"

    def state_forwards(self, app_label, state):
        self._rename_in_state(app_label, state, self.old_name, self.new_name)

    def state_backwards(self, app_label, state):
        self._rename_in_state(app_label, state, self.new_name, self.old_name)

    def _rename_in_state(self, app_label, state, old_name, new_name):
        model_name = self.model_name.lower()
        renamed = state.models[app_label, model_name].get_constraint_by_name(old_name).clone()
        renamed.name = new_name
        state.remove_constraint(app_label, model_name, old_name)
        state.add_constraint(app_label, model_name, renamed)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rename(app_label, schema_editor, from_state, to_state, self.old_name, self.new_name)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rename(app_label, schema_editor, from_state, to_state, self.new_name, self.old_name)

    def _rename(self, app_label, schema_editor, from_state, to_state, old_name, new_name):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        model_name = self.model_name.lower()
        old = from_state.models[app_label, model_name].get_constraint_by_name(old_name)
        new = to_state.models[app_label, model_name].get_constraint_by_name(new_name)
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            if old.condition is not None:
                # Django writes a conditional unique constraint as a partial unique index.
                sql = f"ALTER INDEX {quote(old_name)} RENAME TO {quote(new_name)}"
            else:
                table = quote(model._meta.db_table)
                sql = f"ALTER TABLE {table} RENAME CONSTRAINT {quote(old_name)} TO {quote(new_name)}"
            schema_editor.execute(sql)
        else:
            schema_editor.remove_constraint(from_state.apps.get_model(app_label, self.model_name), old)
            schema_editor.add_constraint(model, new)


class Migration(migrations.Migration):

    dependencies = [
        ('civic_consultation', '0007_address_range_cap'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='card',
            new_name='civic_consultation_card_seq',
            old_name='card_sequence',
        ),
        migrations.RenameIndex(
            model_name='identitylevelcount',
            new_name='civic_consultation_level_top',
            old_name='identity_level_top',
        ),
        migrations.RenameIndex(
            model_name='opiniongrouprun',
            new_name='civic_consultation_run_latest',
            old_name='opinion_run_latest',
        ),
        migrations.RenameIndex(
            model_name='opiniongroupvotes',
            new_name='civic_consultation_group_repr',
            old_name='opinion_representative',
        ),
        migrations.RenameIndex(
            model_name='opinionproposalscore',
            new_name='civic_consultation_bridging',
            old_name='opinion_bridging',
        ),
        migrations.RenameIndex(
            model_name='participant',
            new_name='civic_consultation_part_flag',
            old_name='participant_flag',
        ),
        migrations.RenameIndex(
            model_name='participant',
            new_name='civic_consultation_part_range',
            old_name='participant_range',
        ),
        migrations.RenameIndex(
            model_name='proposal',
            new_name='civic_consultation_prop_queue',
            old_name='proposal_queue',
        ),
        migrations.RenameIndex(
            model_name='proposal',
            new_name='civic_consultation_prop_new',
            old_name='proposal_new',
        ),
        migrations.RenameIndex(
            model_name='proposal',
            new_name='civic_consultation_prop_best',
            old_name='proposal_best',
        ),
        migrations.RenameIndex(
            model_name='proposal',
            new_name='civic_consultation_prop_random',
            old_name='proposal_shuffle',
        ),
        migrations.RenameIndex(
            model_name='proposal',
            new_name='civic_consultation_prop_top',
            old_name='proposal_top',
        ),
        migrations.RenameIndex(
            model_name='proposal',
            new_name='civic_consultation_prop_contro',
            old_name='proposal_contested',
        ),
        migrations.RenameIndex(
            model_name='proposal',
            new_name='civic_consultation_prop_reject',
            old_name='proposal_rejected',
        ),
        migrations.RenameIndex(
            model_name='segmentcounter',
            new_name='civic_consultation_seg_lookup',
            old_name='segment_lookup',
        ),
        migrations.RenameIndex(
            model_name='vote',
            new_name='civic_consultation_vote_prop',
            old_name='vote_proposal',
        ),
        RenameConstraint(
            model_name='card',
            old_name='one_card_per_sequence',
            new_name='civic_consultation_one_card_per_sequence',
        ),
        RenameConstraint(
            model_name='countershard',
            old_name='consultation_shard',
            new_name='civic_consultation_shard',
        ),
        RenameConstraint(
            model_name='identitylevelcount',
            old_name='identity_level_count',
            new_name='civic_consultation_identity_level_count',
        ),
        RenameConstraint(
            model_name='opiniongroup',
            old_name='opinion_group_number',
            new_name='civic_consultation_opinion_group_number',
        ),
        RenameConstraint(
            model_name='opiniongroupvotes',
            old_name='opinion_group_proposal',
            new_name='civic_consultation_opinion_group_proposal',
        ),
        RenameConstraint(
            model_name='opinionproposalscore',
            old_name='opinion_run_proposal',
            new_name='civic_consultation_opinion_run_proposal',
        ),
        RenameConstraint(
            model_name='participant',
            old_name='one_participant_per_account',
            new_name='civic_consultation_one_participant_per_account',
        ),
        RenameConstraint(
            model_name='segmentcounter',
            old_name='proposal_segment',
            new_name='civic_consultation_proposal_segment',
        ),
        RenameConstraint(
            model_name='theme',
            old_name='consultation_theme_slug',
            new_name='civic_consultation_theme_slug',
        ),
        RenameConstraint(
            model_name='vote',
            old_name='one_vote_each',
            new_name='civic_consultation_one_vote_each',
        ),
    ]
