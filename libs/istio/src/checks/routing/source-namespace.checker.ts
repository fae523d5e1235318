import { defineChecker } from '../check.types.js';
import { userMatches } from './matches.util.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const sourceNamespaceChecker = defineChecker(
  {
    code: 'HM1026',
    severity: 'error',
    area: 'routing',
    title: 'sourceNamespace is not a namespace name',
    meaning: "A match's sourceNamespace must be a DNS-1123 label; Istio rejects anything else.",
  },
  (ctx) =>
    userMatches(ctx)
      .filter(
        ({ match }) =>
          match.sourceNamespace !== undefined &&
          (match.sourceNamespace.length > 63 || !DNS_LABEL.test(match.sourceNamespace)),
      )
      .map(({ match, path, owner }) => ({
        message: `sourceNamespace "${match.sourceNamespace}" is not a namespace name`,
        path: [...path, 'sourceNamespace'],
        ...owner,
      })),
);
