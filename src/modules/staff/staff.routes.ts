import type { FastifyPluginAsync } from 'fastify'

export const staffAuthRoutes: FastifyPluginAsync = async () => {}
