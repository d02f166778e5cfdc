import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  BadRequestException, Body, CanActivate, Controller, ExecutionContext, ForbiddenException, HttpCode, Inject, Injectable, Param, Patch,
  UnauthorizedException, UseGuards,
} from '@nestjs/common';
// The library's validator, the one its PreSignUp trigger runs: it has no imports, so the example compiles it in.
import { HealthcareAttributeValidator } from '../../../src/user-pool/healthcare-attribute-validator';
import { CognitoConfigService } from './cognito-config.service';
import { CognitoTokenVerifier } from './cognito-token-verifier.service';
import { COGNITO_MODULE_OPTIONS, CognitoConfigModuleOptions } from './tokens';

/** The group whose members may administer users. */
export const ADMIN_GROUP = 'clinic_admin';

/** Lets through a verified access token of this client whose user is in the clinic_admin group. */
@Injectable()
export class ClinicAdminGuard implements CanActivate {
  constructor(private readonly verifier: CognitoTokenVerifier) {}

  public async canActivate(context: ExecutionContext): Promise<boolean> {
    const header: string | undefined = context.switchToHttp().getRequest().headers?.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (!token) throw new UnauthorizedException('An access token is required (Authorization: Bearer ...).');
    let groups: unknown;
    try {
      groups = (await this.verifier.verifyAccessToken(token))['cognito:groups'];
    } catch {
      throw new UnauthorizedException('The access token is invalid.');
    }
    if (!Array.isArray(groups) || !groups.includes(ADMIN_GROUP)) throw new ForbiddenException(`Only members of ${ADMIN_GROUP} may administer users.`);
    return true;
  }
}

/**
 * PATCH /admin/users/:username/attributes: sets healthcare attributes, identity attributes included,
 * which no app client lets users write. Every value is checked with HealthcareAttributeValidator
 * before AdminUpdateUserAttributes, because Cognito only enforces lengths; a bad value answers 400
 * with the problems (never the values). The role needs `auth.grantUserAdministration(role)`.
 */
@Controller('admin/users')
@UseGuards(ClinicAdminGuard)
export class AdminUsersController {
  private readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;

  constructor(private readonly config: CognitoConfigService, @Inject(COGNITO_MODULE_OPTIONS) options: CognitoConfigModuleOptions) {
    this.cognito = options.cognito ?? new CognitoIdentityProviderClient({ region: config.config.region });
  }

  @Patch(':username/attributes')
  @HttpCode(204)
  public async updateAttributes(@Param('username') username: string, @Body() body: { attributes?: unknown }): Promise<void> {
    const attributes = body?.attributes;
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes) || Object.keys(attributes).length === 0
      || Object.entries(attributes).some(([name, value]) => !name.startsWith('custom:') || typeof value !== 'string')) {
      throw new BadRequestException('attributes must be an object of custom:* names to string values');
    }
    const problems = HealthcareAttributeValidator.validate(attributes as Record<string, string>);
    if (problems.length > 0) throw new BadRequestException({ message: 'Invalid healthcare attributes', problems });
    await this.cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: this.config.config.userPoolId,
      Username: username,
      UserAttributes: Object.entries(attributes as Record<string, string>).map(([Name, Value]) => ({ Name, Value })),
    }));
  }
}
