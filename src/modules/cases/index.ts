import type { FastifyPluginAsync } from 'fastify'
export { createCase, type NewCase } from './cases.create.js'
export { computeDueDate } from './cases.deadlines.js'

export const backofficeRoutes: FastifyPluginAsync = async () => {}
