import { type AttributeInput, defineSchema } from './define.js';
import { SCHEMA_URNS, type SchemaDefinition } from './types.js';

const text = (name: string, description: string, extra: Partial<AttributeInput> = {}): AttributeInput => ({
  name,
  type: 'string',
  description,
  ...extra,
});

/** `value`, `display`, `type`, `primary` of the plural attributes of RFC 7643 4.1.2. */
function plural(
  name: string,
  description: string,
  options: {
    value: AttributeInput;
    typeDescription: string;
    canonicalValues?: readonly string[];
    displayDescription?: string;
    primaryDescription: string;
  },
): AttributeInput {
  return {
    name,
    type: 'complex',
    multiValued: true,
    description,
    subAttributes: [
      options.value,
      text(
        'display',
        options.displayDescription ??
          'A human-readable name, primarily used for display purposes.  READ-ONLY.',
      ),
      text(
        'type',
        options.typeDescription,
        options.canonicalValues ? { canonicalValues: options.canonicalValues } : {},
      ),
      { name: 'primary', type: 'boolean', description: options.primaryDescription },
    ],
  };
}

/** The core User schema, attribute for attribute as RFC 7643 section 8.7.1 publishes it. */
export const userSchema: SchemaDefinition = defineSchema({
  id: SCHEMA_URNS.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    text(
      'userName',
      "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service provider's entire set of Users. REQUIRED.",
      { required: true, uniqueness: 'server' },
    ),
    {
      name: 'name',
      type: 'complex',
      description:
        "The components of the user's real name. Providers MAY return just the full name as a single string in the formatted sub-attribute, or they MAY return just the individual component attributes using the other sub-attributes, or they MAY return both.  If both variants are returned, they SHOULD be describing the same name, with the formatted name indicating how the component attributes should be combined.",
      subAttributes: [
        text(
          'formatted',
          "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III').",
        ),
        text(
          'familyName',
          "The family name of the User, or last name in most Western languages (e.g., 'Jensen' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        text(
          'givenName',
          "The given name of the User, or first name in most Western languages (e.g., 'Barbara' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        text(
          'middleName',
          "The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        text(
          'honorificPrefix',
          "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        text(
          'honorificSuffix',
          "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III' given the full name 'Ms. Barbara J Jensen, III').",
        ),
      ],
    },
    text(
      'displayName',
      'The name of the User, suitable for display to end-users.  The name SHOULD be the full name of the User being described, if known.',
    ),
    text(
      'nickName',
      "The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'.  This attribute SHOULD NOT be used to represent a User's username (e.g., 'bjensen' or 'mpepperidge').",
    ),
    {
      name: 'profileUrl',
      type: 'reference',
      referenceTypes: ['external'],
      description: "A fully qualified URL pointing to a page representing the User's online profile.",
    },
    text('title', 'The user\'s title, such as "Vice President."'),
    text(
      'userType',
      "Used to identify the relationship between the organization and the user.  Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used.",
    ),
    text(
      'preferredLanguage',
      "Indicates the User's preferred written or spoken language.  Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US.",
    ),
    text(
      'locale',
      "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations.",
    ),
    text(
      'timezone',
      "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'.",
    ),
    {
      name: 'active',
      type: 'boolean',
      description: "A Boolean value indicating the User's administrative status.",
    },
    text(
      'password',
      "The User's cleartext password.  This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.",
      { mutability: 'writeOnly', returned: 'never' },
    ),
    plural(
      'emails',
      "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
      {
        value: text(
          'value',
          "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
        ),
        typeDescription: "A label indicating the attribute's function, e.g., 'work' or 'home'.",
        canonicalValues: ['work', 'home', 'other'],
        primaryDescription:
          "A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred mailing address or primary email address.  The primary attribute value 'true' MUST appear no more than once.",
      },
    ),
    plural(
      'phoneNumbers',
      "Phone numbers for the User.  The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
      {
        value: text('value', 'Phone number of the User.'),
        typeDescription: "A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.",
        canonicalValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
        primaryDescription:
          "A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred phone number or primary phone number.  The primary attribute value 'true' MUST appear no more than once.",
      },
    ),
    plural('ims', 'Instant messaging addresses for the User.', {
      value: text('value', 'Instant messaging address for the User.'),
      typeDescription: "A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.",
      canonicalValues: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
      primaryDescription:
        "A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred messenger or primary messenger.  The primary attribute value 'true' MUST appear no more than once.",
    }),
    plural('photos', 'URLs of photos of the User.', {
      value: {
        name: 'value',
        type: 'reference',
        referenceTypes: ['external'],
        description: 'URL of a photo of the User.',
      },
      typeDescription: "A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.",
      canonicalValues: ['photo', 'thumbnail'],
      primaryDescription:
        "A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred photo or thumbnail.  The primary attribute value 'true' MUST appear no more than once.",
    }),
    {
      name: 'addresses',
      type: 'complex',
      multiValued: true,
      description:
        "A physical mailing address for this User. Canonical type values of 'work', 'home', and 'other'.  This attribute is a complex type with the following sub-attributes.",
      subAttributes: [
        text(
          'formatted',
          'The full mailing address, formatted for display or use with a mailing label.  This attribute MAY contain newlines.',
        ),
        text(
          'streetAddress',
          'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information.  This attribute MAY contain newlines.',
        ),
        text('locality', 'The city or locality component.'),
        text('region', 'The state or region component.'),
        text('postalCode', 'The zip code or postal code component.'),
        text('country', 'The country name component.'),
        text('type', "A label indicating the attribute's function, e.g., 'work' or 'home'.", {
          canonicalValues: ['work', 'home', 'other'],
        }),
        // RFC 7643 4.1.2 and the 8.2 example give addresses a `primary`; the 8.7.1 listing omits it.
        {
          name: 'primary',
          type: 'boolean',
          description:
            "A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred mailing address.  The primary attribute value 'true' MUST appear no more than once.",
        },
      ],
    },
    {
      name: 'groups',
      type: 'complex',
      multiValued: true,
      mutability: 'readOnly',
      description:
        'A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.',
      subAttributes: [
        text('value', "The identifier of the User's group.", { mutability: 'readOnly' }),
        {
          name: '$ref',
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          mutability: 'readOnly',
          description: "The URI of the corresponding 'Group' resource to which the user belongs.",
        },
        text('display', 'A human-readable name, primarily used for display purposes.  READ-ONLY.', {
          mutability: 'readOnly',
        }),
        text('type', "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.", {
          canonicalValues: ['direct', 'indirect'],
          mutability: 'readOnly',
        }),
      ],
    },
    plural('entitlements', 'A list of entitlements for the User that represent a thing the User has.', {
      value: text('value', 'The value of an entitlement.'),
      typeDescription: "A label indicating the attribute's function.",
      primaryDescription:
        "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.  The primary attribute value 'true' MUST appear no more than once.",
    }),
    plural(
      'roles',
      "A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.",
      {
        value: text('value', 'The value of a role.'),
        typeDescription: "A label indicating the attribute's function.",
        canonicalValues: [],
        primaryDescription:
          "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.  The primary attribute value 'true' MUST appear no more than once.",
      },
    ),
    plural('x509Certificates', 'A list of certificates issued to the User.', {
      value: { name: 'value', type: 'binary', description: 'The value of an X.509 certificate.' },
      typeDescription: "A label indicating the attribute's function.",
      canonicalValues: [],
      primaryDescription:
        "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.  The primary attribute value 'true' MUST appear no more than once.",
    }),
  ],
});
