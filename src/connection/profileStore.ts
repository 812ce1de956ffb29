// Profiles in globalState (no secrets), API keys in SecretStorage. Signing out deletes the secret.
import type * as vscode from "vscode";
import { LOCAL_PROFILE, secretKeyFor, type Profile } from "../core/daytona/profiles";

const PROFILES_KEY = "daytona.profiles";
const ACTIVE_KEY = "daytona.activeProfile";

export class ProfileStore {
  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  list(): Profile[] {
    const saved = this.state.get<Profile[]>(PROFILES_KEY, []);
    return saved.some((p) => p.id === LOCAL_PROFILE.id) ? saved : [...saved, LOCAL_PROFILE];
  }

  get(id: string): Profile | undefined {
    return this.list().find((p) => p.id === id);
  }

  activeId(): string | undefined {
    return this.state.get<string>(ACTIVE_KEY);
  }

  async setActive(id: string | undefined): Promise<void> {
    await this.state.update(ACTIVE_KEY, id);
  }

  async save(profile: Profile, apiKey?: string): Promise<void> {
    const others = this.state.get<Profile[]>(PROFILES_KEY, []).filter((p) => p.id !== profile.id);
    await this.state.update(PROFILES_KEY, [...others, profile]);
    if (apiKey !== undefined) await this.secrets.store(secretKeyFor(profile.id), apiKey);
  }

  apiKey(id: string): Thenable<string | undefined> {
    return this.secrets.get(secretKeyFor(id));
  }

  async storeApiKey(id: string, apiKey: string): Promise<void> {
    await this.secrets.store(secretKeyFor(id), apiKey);
  }

  /** Forget a profile and delete its key. The local profile stays listed (it needs no account). */
  async remove(id: string): Promise<void> {
    await this.secrets.delete(secretKeyFor(id));
    await this.state.update(
      PROFILES_KEY,
      this.state.get<Profile[]>(PROFILES_KEY, []).filter((p) => p.id !== id),
    );
    if (this.activeId() === id) await this.setActive(undefined);
  }
}
