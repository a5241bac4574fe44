import { describe, expect, it } from 'vitest';
import { postgresConnection } from '@/db/engines/postgres';

describe('postgresConnection', () => {
  it('turns a libpq-style socket directory into postgres.js’s socket path', () => {
    expect(postgresConnection('postgres://wekf@localhost/wekf?host=/var/run/postgresql')).toEqual({
      url: 'postgres://wekf@localhost/wekf',
      path: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(postgresConnection('postgres://wekf@localhost:6543/wekf?host=/tmp/&sslmode=disable')).toEqual({
      url: 'postgres://wekf@localhost:6543/wekf?sslmode=disable',
      path: '/tmp/.s.PGSQL.6543',
    });
  });

  it('reads an empty host as libpq does, so the socket URL libpq users write works', () => {
    expect(postgresConnection('postgres://wekf:pw@/wekf?host=/var/run/postgresql')).toEqual({
      url: 'postgres://wekf:pw@localhost/wekf',
      path: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(postgresConnection('postgresql:///wekf?host=/run/postgresql/')).toEqual({
      url: 'postgresql:///wekf',
      path: '/run/postgresql/.s.PGSQL.5432',
    });
  });

  it('leaves TCP URLs alone', () => {
    for (const url of ['postgres://wekf:pw@db.internal:5432/wekf', 'postgres://wekf@localhost/wekf?host=db.internal', 'not a url']) {
      expect(postgresConnection(url)).toEqual({ url });
    }
  });
});
