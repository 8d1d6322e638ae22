import { type PermissionTable, rules } from "../sdk/permissions.ts";

const operator = rules.hasRole("OPERATOR");
const enterpriseStaff = rules.staffOf("ENTERPRISE");
const bankStaff = rules.staffOf("FINANCIAL");
const managedInResolver = rules.checkedInResolver("the organisation's own admins, or a hub operator");

/**
 * Who may call what in the registry. It holds no credit data: the directory
 * of participants and of enterprises is public; credentials and consents are
 * shown only to whom they concern, which the resolvers check row by row.
 */
export const registryPermissions: PermissionTable = {
  Query: {
    me: rules.anyone,
    organisations: rules.anyone,
    organisation: rules.anyone,
    enterprise: rules.anyone,
    enterprises: rules.anyone,
    consents: rules.signedIn,
    consentRequests: rules.signedIn,
    registryAuditPublicKey: rules.anyone,
    standing: bankStaff,
    standings: bankStaff,
    programmes: bankStaff,
    standingReport: bankStaff,
    pendingIdentityProviders: operator,
  },
  Mutation: {
    createOrganisation: operator,
    setOrganisationStatus: operator,
    issueApiKey: rules.signedIn,
    revokeApiKey: rules.signedIn,
    registerIdentityProvider: rules.signedIn,
    confirmIdentityProvider: operator,
    revokeIdentityProvider: rules.signedIn,
    registerEnterprise: rules.checkedInResolver(
      "hub operators, staff of associations, industry bodies and credit bureaus, or the enterprise itself",
    ),
    renameEnterprise: rules.checkedInResolver("a hub operator, or the enterprise itself"),
    giveConsent: enterpriseStaff,
    revokeConsent: enterpriseStaff,
    // Any organisation's staff; the resolver refuses enterprises and the hub, which are not data users.
    requestConsent: rules.hasRole("STAFF"),
    inviteEnterprise: rules.checkedInResolver("association staff, or a hub operator"),
    // The code is the credential: whoever holds it is the enterprise it was made for.
    acceptInvitation: rules.anyone,
    approveConsentRequest: enterpriseStaff,
    rejectConsentRequest: enterpriseStaff,
    defineProgramme: bankStaff,
    retireProgramme: bankStaff,
  },
  Organisation: {
    id: rules.anyone,
    name: rules.anyone,
    type: rules.anyone,
    uscc: rules.anyone,
    status: rules.anyone,
    createdAt: rules.anyone,
    apiKeys: managedInResolver,
    identityProviders: managedInResolver,
  },
  Enterprise: { uscc: rules.anyone, name: rules.anyone, registeredAt: rules.anyone },
  ApiKey: { "*": managedInResolver },
  IssuedApiKey: { "*": rules.checkedInResolver("returned only to whoever issued the key") },
  Invitation: { "*": rules.checkedInResolver("returned only to whoever invited") },
  IssuedInvitation: { "*": rules.checkedInResolver("returned only to whoever invited") },
  IdentityProvider: { "*": managedInResolver },
  Standing: { "*": bankStaff },
  StandingConcern: { "*": bankStaff },
  StandingReport: { "*": bankStaff },
  StandingFinding: { "*": bankStaff },
  Programme: { "*": bankStaff },
  ProgrammeCriterion: { "*": bankStaff },
  ProgrammeEligibility: { "*": bankStaff },
  UnmetCriterion: { "*": bankStaff },
  Consent: { "*": rules.checkedInResolver("only the enterprise that gave it and the organisation it was given to") },
  ConsentRequest: { "*": rules.checkedInResolver("only the enterprise asked and the organisation that asked") },
};
