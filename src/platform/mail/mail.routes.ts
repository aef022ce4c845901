import type { FastifyPluginAsync } from 'fastify'

export const devMailRoutes: FastifyPluginAsync = async () => {}
