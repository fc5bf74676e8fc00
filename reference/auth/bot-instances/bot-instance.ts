// Bot instance records (kind: bot_instance, version: v1). One record per
// lineage step: onboarding and every recovery create a new instance; renewals
// keep the instance and advance its generation.

export interface BotInstanceAuthentication {
  auth_time: string;
  join_method: string;
  join_token: string;
  generation: number;
  public_key?: string;
  recovery_count?: number;
}

export interface BotInstance {
  kind: 'bot_instance';
  version: 'v1';
  metadata: { name: string; revision?: string };
  spec: {
    bot_name: string;
    instance_id: string;
    previous_instance_id?: string;
  };
  status: {
    initial_authentication: BotInstanceAuthentication;
    /** Newest last, at most 10 kept, as Teleport does. */
    latest_authentications: BotInstanceAuthentication[];
  };
}

export const MAX_LATEST_AUTHENTICATIONS = 10;

/** The generation a renewal must present: the newest recorded authentication's. */
export function currentGeneration(instance: BotInstance): number {
  const latest = instance.status.latest_authentications.at(-1) ?? instance.status.initial_authentication;
  return latest.generation;
}
