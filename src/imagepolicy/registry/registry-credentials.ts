/** What a registry or its token server accepts as Basic credentials. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
}
