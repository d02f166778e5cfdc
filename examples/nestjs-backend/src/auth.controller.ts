import { BadRequestException, Body, Controller, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { CognitoSessionService, RefreshedSession } from './cognito-session.service';

/** POST /auth/refresh: new tokens for a refresh token. The response's refreshToken replaces the one sent. */
@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: CognitoSessionService) {}

  @Post('refresh')
  @HttpCode(200)
  public async refresh(@Body() body: { refreshToken?: unknown; deviceKey?: unknown }): Promise<RefreshedSession> {
    if (typeof body?.refreshToken !== 'string' || body.refreshToken.length === 0) {
      throw new BadRequestException('refreshToken is required');
    }
    try {
      return await this.sessions.refresh(body.refreshToken, typeof body.deviceKey === 'string' ? body.deviceKey : undefined);
    } catch (error) {
      // Never echo the token; a refused refresh means signing in again.
      if ((error as Error).name === 'NotAuthorizedException') throw new UnauthorizedException('The refresh token is invalid, expired or rotated out.');
      throw error;
    }
  }
}
