import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

export const API_VERSION = 'v1';

@ApiTags('meta')
@Controller(API_VERSION)
export class InfoController {
  @Get()
  @ApiOkResponse({ description: 'The API name and version.' })
  info(): { name: string; apiVersion: string } {
    return { name: 'heliomesh-policy-api', apiVersion: API_VERSION };
  }
}
