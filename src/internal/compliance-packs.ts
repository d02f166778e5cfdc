/*
 * The names the library's acknowledgements and its compliance pack share. Constructs record
 * acknowledgements with these IDs; src/compliance reads them. Nothing here imports a pack.
 */
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';


/** The library's own pack, `MedflowHealthcareChecks`. */
export const MEDFLOW_HEALTHCARE_PACK = 'Medflow.Healthcare';
/** cdk-nag's HIPAA Security and NIST 800-53 rev 5 packs, which share their Lambda and DynamoDB rules. */
export const HIPAA_AND_NIST_PACKS = ['HIPAA.Security', 'NIST.800.53.R5'];

/**
 * Template metadata key on every user pool and app client the library creates:
 * `{ production: boolean, dataClassification: string }`. MedflowHealthcareChecks reads it instead
 * of guessing production from names.
 */
export const ENVIRONMENT_METADATA_KEY = 'medflow:environment';

/** The value recorded under `ENVIRONMENT_METADATA_KEY`. */
export interface EnvironmentMetadata {
  readonly production: boolean;
  readonly dataClassification: string;
}

/** Records what the environment is on a user pool's or app client's CloudFormation resource. */
export function recordEnvironment(construct: IConstruct, environment: EnvironmentMetadata): void {
  const resource = construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource to record the environment on.`);
  }
  resource.addMetadata(ENVIRONMENT_METADATA_KEY, {
    production: environment.production,
    dataClassification: environment.dataClassification,
  } satisfies EnvironmentMetadata);
}
