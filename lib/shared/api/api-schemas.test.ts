import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { toChallengeResource } from '@/app/api/v1/_lib/to-challenge-resource';
import type { ChallengeListItemDto } from '@/lib/shared/dto/challenge-view-dto';
import type { LeaderboardDto, MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';
import type { MySubmissionDto, SubmissionDto } from '@/lib/shared/dto/submission-dto';
import type { LiveSubmissionDto } from '@/lib/shared/dto/submission-status-dto';
import type { checkHealth } from '@/lib/server/health/check-health';
import type { DisplayEventsDto } from '@/lib/server/datasets/get-display-events';
import type { FeatureHistogramDto } from '@/lib/shared/histograms/histogram-types';
import {
  challengeListItemSchema,
  challengeResourceSchema,
  displayEventsSchema,
  featureHistogramSchema,
  errorBodySchema,
  healthSchema,
  leaderboardSchema,
  liveSubmissionSchema,
  metricValueSchema,
  mySubmissionSchema,
  submissionDetailSchema,
  submissionSchema,
} from './api-schemas';

/** True when A and B are the same type (each assignable to the other, property by property). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** An intersection (`A & B`) as one object type, so that it compares equal to the same fields written out. */
type Flat<T> = T extends object ? { [K in keyof T]: T[K] } : T;
type Same<A, B> = Equals<Flat<A>, Flat<B>> extends true ? true : { mismatch: [A, B] };
function assertSameType<_T extends true>() {}

// Compile-time: the schemas of the API document are the types the services return (typecheck fails otherwise).
assertSameType<Same<z.output<typeof metricValueSchema>, MetricValueDto>>();
assertSameType<Same<z.output<typeof challengeListItemSchema>, ChallengeListItemDto>>();
assertSameType<Same<z.output<typeof challengeResourceSchema>, ReturnType<typeof toChallengeResource>>>();
assertSameType<Same<z.output<typeof leaderboardSchema>, LeaderboardDto>>();
assertSameType<Same<z.output<typeof submissionSchema>, SubmissionDto>>();
assertSameType<Same<z.output<typeof mySubmissionSchema>, MySubmissionDto>>();
assertSameType<Same<z.output<typeof submissionDetailSchema>, SubmissionDetailDto>>();
assertSameType<Same<z.output<typeof liveSubmissionSchema>, LiveSubmissionDto>>();
assertSameType<Same<z.output<typeof healthSchema>, Awaited<ReturnType<typeof checkHealth>>>>();
assertSameType<Same<z.output<typeof featureHistogramSchema>, FeatureHistogramDto>>();
assertSameType<Same<z.output<typeof displayEventsSchema>, DisplayEventsDto>>();

describe('API response schemas', () => {
  it('accept the error body every route handler sends and refuse an unknown code', () => {
    expect(errorBodySchema.safeParse({ error: { code: 'NOT_FOUND', message: 'There is no challenge "x".', details: {} } }).success).toBe(true);
    expect(errorBodySchema.safeParse({ error: { code: 'TEAPOT', message: 'no' } }).success).toBe(false);
  });

  it('keep an unbounded value distinct from a missing one', () => {
    expect(metricValueSchema.parse({ value: null, ciLow: 1, ciHigh: null, unbounded: true }).unbounded).toBe(true);
    expect(metricValueSchema.safeParse({ value: null, ciLow: null, ciHigh: null, unbounded: false }).success).toBe(false);
  });
});
