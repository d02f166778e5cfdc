"""A Python CDK app composing the prod preset, synthesized and checked like a platform team would."""
import glob
import os

import pytest
from aws_cdk import App, Duration, Stack
from cdk_nag import AwsSolutionsChecks
from medflow_cognito_construct import EmailSender, EnvironmentPreset, MedflowCognito, MedflowHealthcareChecks, ReplacementGuardOptions

HEALTHCARE_ATTRIBUTES = {
    "medical_license",
    "license_state",
    "specialties",
    "clinic_id",
    "user_role",
    "preferred_language",
    "npi_number",
}


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    app = App(outdir=str(tmp_path_factory.mktemp("cdk.out")))
    stack = Stack(app, "MedflowAuthProd")
    lock_file = tmp_path_factory.mktemp("app") / "cognito.lock.json"
    MedflowCognito(
        stack,
        "Auth",
        preset=EnvironmentPreset.prod(),
        email=EmailSender.ses(from_address="no-reply@clinic.example"),
        access_token_validity=Duration.minutes(30),
        replacement_guard=ReplacementGuardOptions(lock_file=str(lock_file)),
    )
    assembly = app.synth()
    return stack, assembly, assembly.get_stack_artifact(stack.artifact_id).template, lock_file


def resources_of_type(template, resource_type):
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_user_pool_is_the_prod_pool_with_mfa_on(synthesized):
    _, _, template, _ = synthesized
    [pool] = resources_of_type(template, "AWS::Cognito::UserPool")
    assert pool["Properties"]["UserPoolName"] == "prod-medflow-cognito-user-pool"
    assert pool["Properties"]["MfaConfiguration"] == "ON"


def test_user_pool_carries_the_seven_healthcare_attributes(synthesized):
    _, _, template, _ = synthesized
    [pool] = resources_of_type(template, "AWS::Cognito::UserPool")
    custom = {
        a["Name"]: a
        for a in pool["Properties"]["Schema"]
        if a["Name"] in HEALTHCARE_ATTRIBUTES
    }
    assert set(custom) == HEALTHCARE_ATTRIBUTES
    assert all(a["AttributeDataType"] == "String" and a["Mutable"] for a in custom.values())


def test_access_token_validity_override_is_applied(synthesized):
    _, _, template, _ = synthesized
    [client] = [
        c
        for c in resources_of_type(template, "AWS::Cognito::UserPoolClient")
        if c["Properties"]["ClientName"] == "prod-medflow-cognito-app-client"
    ]
    assert client["Properties"]["AccessTokenValidity"] == 30
    assert client["Properties"]["TokenValidityUnits"]["AccessToken"] == "minutes"


def test_bundled_lambda_handlers_are_staged(synthesized):
    _, assembly, template, _ = synthesized
    functions = resources_of_type(template, "AWS::Lambda::Function")
    assert functions
    for function in functions:
        assert function["Properties"]["Runtime"] == "nodejs24.x"
        asset_hash = function["Properties"]["Code"]["S3Key"].removesuffix(".zip")
        [asset_dir] = glob.glob(os.path.join(assembly.directory, f"asset.{asset_hash}*"))
        assert os.path.getsize(os.path.join(asset_dir, "index.js")) > 0


def test_aws_solutions_checks_find_nothing(synthesized):
    stack, _, _, _ = synthesized
    violations = AwsSolutionsChecks().validate_scope(stack).violations
    assert [(v.rule_name, v.description) for v in violations] == []


def test_medflow_healthcare_checks_find_nothing(synthesized):
    stack, _, _, _ = synthesized
    checks = MedflowHealthcareChecks()
    assert checks.name == "Medflow.Healthcare"
    violations = checks.validate_scope(stack).violations
    assert [(v.rule_name, v.description) for v in violations] == []


def test_replacement_guard_records_the_pool_in_the_lock_file(synthesized):
    _, _, template, lock_file = synthesized
    [pool_id] = [k for k, r in template["Resources"].items() if r["Type"] == "AWS::Cognito::UserPool"]
    assert pool_id in lock_file.read_text()
