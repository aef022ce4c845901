export {
  addDays,
  addMonths,
  isIsoDay,
  addWorkingDays,
  dayInCity,
  deadlineEndDay,
  endOfCityDay,
  startOfCityDay,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDayFrom,
  isoInCity,
  CITY_TIME_ZONE,
} from './calendar.js'
export type { IsoDay } from './calendar.js'
